"""WSGI entry point: gunicorn twinning.wsgi:application (configured by environment variables)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twinning.settings")
application = get_wsgi_application()
