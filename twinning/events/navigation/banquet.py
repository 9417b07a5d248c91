"""The events navigation: banquet part."""


def register() -> None:
    pass
