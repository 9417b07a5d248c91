from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "twinning.exchanges"
    label = "exchanges"
    verbose_name = _("High-school exchange")

    def ready(self) -> None:
        # The API module registers its token scope (network.scopes) before any form reads it.
        from twinning.exchanges import api, emails, navigation, panels  # noqa: F401
        from twinning.exchanges.services.students import register_youth_program

        register_youth_program()
        emails.register()
        emails.register_monitoring()
        emails.register_placement()
        navigation.register()
        navigation.register_monitoring()
        from twinning.core.orphans import register_stored_files
        from twinning.exchanges.models import HomeVisitPhoto, School, StudentDocument

        def stored_names() -> list[str]:
            names = list(StudentDocument.objects.values_list("file_name", flat=True))
            names += HomeVisitPhoto.objects.values_list("file_name", flat=True)
            names += School.objects.exclude(letter_file="").values_list("letter_file", flat=True)
            return [name for name in names if name]

        # Files left by a crash between storing and saving are swept like other apps'.
        register_stored_files("exchanges", folders=["exchanges"], names=stored_names)
        # Reciprocity on the community, partnership and impact pages.
        panels.register()
