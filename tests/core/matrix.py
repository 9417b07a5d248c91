"""C1 rows of core's own pages: each role's home (signed in; staff need no second factor to
see their home, whose staff links then ask for it)."""

from tests.matrix import SIGNED_IN

MATRIX = {
    "core:home": ("/home/", SIGNED_IN),
}
