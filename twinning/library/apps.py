from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "twinning.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from twinning.core.orphans import register_stored_files
        from twinning.library import highlights, navigation, rules  # noqa: F401 (registers perms)
        from twinning.library.models import FOLDER, stored_file_names

        register_stored_files("library", folders=[FOLDER], names=stored_file_names)
        navigation.register()
        highlights.register()
