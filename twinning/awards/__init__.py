"""Awards: see docs/apps/awards.md."""
