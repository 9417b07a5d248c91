"""The events emails: checkin part."""


def register() -> None:
    pass
