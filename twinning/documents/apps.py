from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "twinning.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from twinning.core.orphans import register_stored_files
        from twinning.documents import kinds, navigation, rules  # noqa: F401
        from twinning.documents.models import stored_file_names

        kinds.register_standard_kinds()
        navigation.register()
        register_stored_files("documents", folders=["documents"], names=stored_file_names)
