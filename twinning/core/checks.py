"""System checks of our own settings."""

from django.core.checks import Error, register


@register()
def scheduled_commands_exist(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    """Every job in TWINNING_SCHEDULE names a management command that exists."""
    from twinning.core.schedule import unknown_commands

    return [
        Error(
            f"TWINNING_SCHEDULE names {name!r}, which is not a management command.",
            id="twinning.E001",
        )
        for name in unknown_commands()
    ]
