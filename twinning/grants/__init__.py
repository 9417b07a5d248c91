"""Grants: see docs/apps/grants.md."""
