"""The events app's part of each role's home and menu, one module per part."""

from twinning.events.navigation import banquet, checkin, public, registration, summit


def register() -> None:
    for part in (public, registration, checkin, summit, banquet):
        part.register()
