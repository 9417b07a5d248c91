"""The events navigation: registration part."""


def register() -> None:
    pass
