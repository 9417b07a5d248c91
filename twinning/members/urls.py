"""URLs of the members app."""

from django.urls import path  # noqa: F401

app_name = "members"
urlpatterns: list = []
