from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReliefConfig(AppConfig):
    name = "twinning.relief"
    label = "relief"
    verbose_name = _("Relief")

    def ready(self) -> None:
        from twinning.core.orphans import register_stored_files
        from twinning.relief import emails, navigation, panels, rules  # noqa: F401 (registers perms)
        from twinning.relief.models import FOLDER, stored_file_names

        emails.register()
        register_stored_files("relief", folders=[FOLDER], names=stored_file_names)
        navigation.register()
        panels.register()
