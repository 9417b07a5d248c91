"""URLs of the outbox app."""

from django.urls import path  # noqa: F401

app_name = "outbox"
urlpatterns: list = []
