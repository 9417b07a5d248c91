"""The events admin: summit part."""


def register() -> None:
    pass
