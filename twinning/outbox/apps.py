from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "twinning.outbox"
    label = "outbox"
    verbose_name = _("E-mail outbox")

    def ready(self) -> None:
        from twinning.outbox import (
            accounts_mail,
            navigation,
            rules,  # noqa: F401 - registers the permissions
        )

        accounts_mail.register()
        navigation.register()
