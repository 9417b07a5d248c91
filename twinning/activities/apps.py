from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "twinning.activities"
    label = "activities"
    verbose_name = _("Activities and exchanges")

    def ready(self) -> None:
        from twinning.activities import emails  # noqa: F401 - registers the e-mails
