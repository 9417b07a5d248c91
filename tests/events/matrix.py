"""C1 rows of the events app, gathered from its parts: each part's `tests/events/<part>_helpers.py`
(or `<part>_matrix.py`) may define MATRIX and `build_world(base) -> dict`, so the parts add
their routes without editing one shared table."""

import importlib
import pkgutil

import tests.events

_PARTS = [
    importlib.import_module(f"tests.events.{info.name}")
    for info in pkgutil.iter_modules(tests.events.__path__)
    if info.name.endswith(("_helpers", "_matrix"))
]
_PARTS = [part for part in _PARTS if hasattr(part, "MATRIX")]

MATRIX: dict = {}
for _part in _PARTS:
    assert not set(_part.MATRIX) & set(MATRIX), f"{_part.__name__} repeats a route"
    MATRIX.update(_part.MATRIX)


def build_world(base: dict) -> dict:
    world: dict = {}
    for part in _PARTS:
        if hasattr(part, "build_world"):
            world.update(part.build_world({**base, **world}))
    return world
