"""The events admin: banquet part."""


def register() -> None:
    pass
