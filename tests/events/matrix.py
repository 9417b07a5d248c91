"""The events app's routes in the C1 matrix, gathered from each part's helpers module
(tests/events/<part>_helpers.py with a MATRIX and, optionally, a build_world), so the parts
add their routes without editing one shared table."""

import importlib
import pkgutil
from typing import Any

import tests.events

_PARTS = [
    importlib.import_module(f"tests.events.{info.name}")
    for info in pkgutil.iter_modules(tests.events.__path__)
    if info.name.endswith("_helpers")
]

MATRIX: dict[str, tuple[str, tuple[int, ...]]] = {}
for _part in _PARTS:
    _routes = getattr(_part, "MATRIX", {})
    assert not set(_routes) & set(MATRIX), f"{_part.__name__} repeats a route"
    MATRIX.update(_routes)


def build_world(base: dict[str, Any]) -> dict[str, Any]:
    world: dict[str, Any] = {}
    for part in _PARTS:
        if hasattr(part, "build_world"):
            world.update(part.build_world({**base, **world}))
    return world
