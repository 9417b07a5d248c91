"""Twinning: the platform on which a sister-city association runs its network and programs."""
