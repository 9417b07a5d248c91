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
        _warm_after_registry_changes()


def _warm_after_registry_changes() -> None:
    """The suggestions are ranked again in the background after each change of the registry
    (twinning/matchmaking/tasks.py)."""
    from django.db.models.signals import post_delete, post_save

    from twinning.matchmaking.models import SeekingProfile
    from twinning.matchmaking.tasks import registry_changed
    from twinning.network.models import Community, Country, Partnership

    for model in (Community, Partnership, SeekingProfile, Country):
        for signal in (post_save, post_delete):
            signal.connect(
                registry_changed, sender=model, dispatch_uid=f"matchmaking-warm-{model.__name__}"
            )
