"""The events emails: public part."""


def register() -> None:
    pass
