"""Who may do what in events (core/authz vocabulary)."""
