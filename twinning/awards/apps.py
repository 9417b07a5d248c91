from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "twinning.awards"
    label = "awards"
    verbose_name = _("Awards")

    def ready(self) -> None:
        from twinning.awards import emails, featured, navigation
        from twinning.awards.calls import awards_calls
        from twinning.awards.models import Nomination, stored_file_names
        from twinning.core.orphans import register_stored_files
        from twinning.members.calls import register_open_calls
        from twinning.review.interface import register_reviewable

        emails.register()
        register_reviewable(Nomination)
        register_open_calls(awards_calls)
        register_stored_files("awards", folders=["awards"], names=stored_file_names)
        navigation.register()
        featured.register()
