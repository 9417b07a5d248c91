"""C1 rows of the events app's routes, gathered from each part's helpers."""

from tests.events.registration_helpers import MATRIX as REGISTRATION_MATRIX
from tests.events.registration_helpers import build_world as registration_world

MATRIX = {**REGISTRATION_MATRIX}


def build_world(base: dict) -> dict:
    return {**registration_world(base)}
