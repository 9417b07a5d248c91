"""Test settings: speed overrides only (C21). DATABASE_URL and REDIS_URL still apply, so the
same suite runs on SQLite (make test) and on PostgreSQL (.ci/run)."""

import os

os.environ.setdefault("TASKS_BACKEND", "immediate")

from twinning.settings import *  # noqa: F403
from twinning.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Serve static files from the finders: the suite does not depend on collectstatic having run.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# On SQLite, test against a file (not the shared in-memory database) so WAL, the busy timeout
# and IMMEDIATE transactions behave as in the demo; pytest-xdist adds a suffix per worker.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-twinning.sqlite3")}  # noqa: F405
