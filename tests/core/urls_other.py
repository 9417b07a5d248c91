"""A second URL configuration for tests/core/test_navigation_links.py."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("elsewhere/", lambda request: HttpResponse("ok"), name="other-home")]
