"""Benchmark settings: production-like (DEBUG off, manifest static files), plus the baseline
view's URL. The database is the bench's own SQLite file (TWINNING_VAR_DIR)."""

import os

os.environ.setdefault("DJANGO_DEBUG", "False")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("SECURE_SSL_REDIRECT", "False")

from twinning.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
