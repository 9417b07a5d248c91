"""The events admin: summit part. Nothing of the summit is in the admin: its staff pages
(/staff/events/<slug>/summit/) are the staff tools and call the services (C9), and the
restricted details must have one reader only, the logged details page (RELIABILITY P-07, K3).
Registering rooms, teams or chaperones here would also need rows of them in `seed_demo`
(tests/core/test_admin_pages.py shows every registered model with a row)."""


def register() -> None:
    """No summit model is registered (see the module's docstring)."""
