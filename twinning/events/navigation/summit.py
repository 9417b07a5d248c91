"""The events navigation: summit part."""


def register() -> None:
    pass
