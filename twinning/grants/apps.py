from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "twinning.grants"
    label = "grants"
    verbose_name = _("Grants")

    def ready(self) -> None:
        from twinning.core.orphans import register_stored_files
        from twinning.grants import emails, navigation, rules  # noqa: F401 (registers perms)
        from twinning.grants.models import Application, stored_file_names
        from twinning.review.interface import register_reviewable

        emails.register()
        register_reviewable(Application)
        register_stored_files("grants", folders=["grants/receipts"], names=stored_file_names)
        navigation.register()
