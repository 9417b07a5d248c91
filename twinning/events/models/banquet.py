"""Banquet models (see the module of the same name in services/)."""

__all__: list[str] = []
