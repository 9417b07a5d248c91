"""The events app's e-mail templates (outbox registry), one module per part."""

from twinning.events.emails import banquet, checkin, public, registration, summit, summit_apply


def register() -> None:
    for part in (public, registration, checkin, summit, banquet, summit_apply):
        part.register()
