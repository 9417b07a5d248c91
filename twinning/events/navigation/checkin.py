"""The events navigation: checkin part."""


def register() -> None:
    pass
