"""The events emails: registration part."""


def register() -> None:
    pass
