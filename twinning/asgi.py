"""ASGI entry point, for servers that prefer it; gunicorn on wsgi is the supported one."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twinning.settings")
application = get_asgi_application()
