"""The events app's routes in the C1 matrix: each part keeps its rows in
`tests/events/matrix_<part>.py` (MATRIX, and optionally build_world), joined here."""

import importlib
import pkgutil

import tests.events

PARTS = [
    importlib.import_module(f"tests.events.{info.name}")
    for info in pkgutil.iter_modules(tests.events.__path__)
    if info.name.startswith("matrix_")
]

MATRIX: dict = {}
for _part in PARTS:
    assert not set(_part.MATRIX) & set(MATRIX), f"{_part.__name__} repeats a route"
    MATRIX.update(_part.MATRIX)


def build_world(base: dict) -> dict:
    world: dict = {}
    for part in PARTS:
        if hasattr(part, "build_world"):
            world.update(part.build_world({**base, **world}))
    return world
