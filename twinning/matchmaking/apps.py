from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "twinning.matchmaking"
    label = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        from twinning.matchmaking import emails, navigation, panels, rules  # noqa: F401

        emails.register()
        navigation.register()
        panels.register()
