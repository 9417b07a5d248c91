from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "twinning.network"
    label = "network"
    verbose_name = _("Network registry")

    def ready(self) -> None:
        from twinning.network import navigation

        navigation.register()
