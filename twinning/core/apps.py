from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "twinning.core"
    label = "core"
    verbose_name = _("Association and audit")

    def ready(self) -> None:
        from twinning.core import (
            checks,  # noqa: F401  (registers the system checks)
            leases,  # noqa: F401  (gives up on failed tasks' objects)
        )
