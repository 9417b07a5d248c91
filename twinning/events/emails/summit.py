"""The events emails: summit part."""


def register() -> None:
    pass
