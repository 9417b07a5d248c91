from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "twinning.review"
    label = "review"
    verbose_name = _("Review engine")

    def ready(self) -> None:
        from twinning.review import (
            emails,  # noqa: F401 - registers the e-mails with the outbox
            navigation,
        )

        navigation.register()
