from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "twinning.activities"
    label = "activities"
    verbose_name = _("Activities and exchanges")

    def ready(self) -> None:
        from twinning.activities import emails  # noqa: F401 - registers the e-mails
        from twinning.activities.models import stored_file_names
        from twinning.core.orphans import register_stored_files

        register_stored_files(
            "activities",
            folders=["activities/photos", "activities/letters", "activities/reports"],
            names=stored_file_names,
        )
        from twinning.activities import navigation

        navigation.register()
