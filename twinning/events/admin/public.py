"""The events admin: public part."""


def register() -> None:
    pass
