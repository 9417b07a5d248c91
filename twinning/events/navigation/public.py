"""The events navigation: public part."""


def register() -> None:
    pass
