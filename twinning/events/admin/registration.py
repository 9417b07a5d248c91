"""The events admin: registration part."""


def register() -> None:
    pass
