"""The events app's routes in the C1 matrix. Each part of the app (public pages and
programme, registration, check-in, summit, banquet) keeps its rows and its `build_world` in
its own `tests/events/matrix_<part>.py`; this module joins them for
tests/core/test_route_matrix.py."""

import importlib
import pkgutil
from typing import Any

import tests.events

_PARTS = [
    importlib.import_module(f"tests.events.{info.name}")
    for info in pkgutil.iter_modules(tests.events.__path__)
    if info.name.startswith("matrix_")
]

MATRIX: dict[str, tuple[str, tuple[int, ...]]] = {}
for _part in _PARTS:
    assert not set(_part.MATRIX) & set(MATRIX), f"{_part.__name__} repeats a route"
    MATRIX.update(_part.MATRIX)


def build_world(base: dict[str, Any]) -> dict[str, Any]:
    world: dict[str, Any] = {}
    for part in _PARTS:
        if hasattr(part, "build_world"):
            world.update(part.build_world({**base, **world}))
    return world
