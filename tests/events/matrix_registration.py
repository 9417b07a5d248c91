"""Registration's routes in the C1 matrix (kept beside its helpers)."""

from tests.events.registration_helpers import MATRIX, build_world

__all__ = ["MATRIX", "build_world"]
