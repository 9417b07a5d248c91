"""Single-use links and API tokens keep only a digest of their secret: one helper for every app
(guardian consent, reviewer invitations, co-admin invitations, details and offer links,
signature links, API tokens).

A fast SHA-256 is enough for a secret of 256 random bits (nothing to guess), and it does not
depend on SECRET_KEY, so rotating that key voids no link."""

import hashlib


def hash_token(token: str) -> str:
    """The stored digest of a link's or token's secret."""
    return hashlib.sha256(token.encode()).hexdigest()
