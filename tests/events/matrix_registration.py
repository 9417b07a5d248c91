"""C1 rows of the registration part's routes (kept in registration_helpers)."""

from tests.events.registration_helpers import MATRIX, build_world

__all__ = ["MATRIX", "build_world"]
