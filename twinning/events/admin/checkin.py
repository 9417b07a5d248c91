"""The events admin: checkin part."""


def register() -> None:
    pass
