from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data: the top layer, so it may build on every app through their services (C22)."""

    name = "twinning.demo"
    label = "demo"
    verbose_name = "Demo data"
