"""The events app's e-mail templates (outbox registry), one module per part."""

from twinning.events.emails import banquet, checkin, public, registration, summit


def register() -> None:
    for part in (public, registration, checkin, summit, banquet):
        part.register()
