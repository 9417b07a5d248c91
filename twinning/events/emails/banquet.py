"""The events emails: banquet part."""


def register() -> None:
    pass
