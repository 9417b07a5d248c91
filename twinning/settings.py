"""Twinning's one settings module (C17): every difference between environments is an
environment variable, read once here; the defaults give a working development site on SQLite.
Every variable is documented in `.env.example`."""

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("TWINNING_VAR_DIR", default=str(BASE_DIR / "var")))

# --- Core ---------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=True)
# The development key is only ever used with DEBUG on; production must set SECRET_KEY.
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="dev-only-insecure-key-change-me-3f9a8c7b6d5e4f3a2b1c0d9e8f7a6b5c" if DEBUG else None,
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "template_partials",
    "csp",
    "ninja",  # /api/docs serves Swagger UI from our static files (otherwise from a CDN)
    # Our apps, in dependency order (C3). twinning.core comes before django_tasks_db so that its
    # `db_worker` (the same worker, holding leases on running tasks) is the one manage.py runs.
    "twinning.core",
    "django_tasks",
    "django_tasks_db",
    "twinning.accounts",
    "twinning.outbox",
    "twinning.network",
    "twinning.documents",
    "twinning.activities",
    "twinning.members",
    "twinning.review",
    "twinning.youth",
    "twinning.showcase",
    "twinning.events",
    "twinning.awards",
    "twinning.grants",
    "twinning.exchanges",
    "twinning.library",
    "twinning.matchmaking",
    "twinning.relief",
    "twinning.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "twinning.core.middleware.NoStoreMiddleware",  # HDR-4; sees the session cookie it sets
    "twinning.core.middleware.AssociationMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "twinning.core.middleware.AssociationLanguageMiddleware",
    "twinning.core.middleware.RefuseNulMiddleware",  # INPUT-7, in the visitor's language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "twinning.core.authz.NotAllowedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "twinning.core.navigation.ForgetRolesMiddleware",
    "twinning.accounts.sessions.SessionLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "twinning.urls"
WSGI_APPLICATION = "twinning.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "twinning" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "twinning.core.context_processors.association",
                "twinning.core.context_processors.navigation",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    }
]

# --- Database -----------------------------------------------------------------------------
# SQLite is the embedded default: WAL so readers never wait for the writer, a busy timeout so a
# writer waits for the lock instead of failing, and IMMEDIATE transactions so a transaction
# takes the write lock when it starts (no "database is locked" on lock upgrade). The
# concurrency guarantees (CONC-n, docs/requirements.md) hold on PostgreSQL (DATABASE_URL).
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'twinning.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# A connection is kept for a minute rather than opened per request: opening one costs about
# 7 ms on SQLite (parsing a schema of some 750 tables and indexes, registering the backend's
# functions, a cold page cache) and a round of authentication on PostgreSQL. The health check
# replaces a connection that went away between requests.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------
# The login rate limits live in the cache: with several web processes it must be shared,
# so production sets REDIS_URL (or CACHE_URL).
REDIS_URL = env.str("REDIS_URL", default="")
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache_url("CACHE_URL")}
elif REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts and security ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend behind the sign-in rate limits (AUTH-2), so every password form,
    # the admin's included, is limited.
    "twinning.accounts.ratelimit.RateLimitedModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # AUTH-9: a reset link expires after one hour.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Twinning")
# Login rate limits (AUTH-2), as (failures, seconds): per client IP and per e-mail
# address tried, each a window starting at its first failure (twinning/accounts/ratelimit.py).
LOGIN_LIMIT_PER_IP = (10, 300)
LOGIN_LIMIT_PER_ACCOUNT = (20, 3600)
# Re-authentication (RELIABILITY B12): reading special-category data (health, passports,
# safeguarding) needs the password (and, for staff, the second factor) confirmed within this
# many minutes (twinning/accounts/reauth.py).
REAUTH_MINUTES = env.int("REAUTH_MINUTES", default=10)
# Only a proxy we run sets X-Forwarded-For; the number of proxies in front of us (AUTH-3).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Idle timeouts (AUTH-7): every request of a signed-in user saves the session and so pushes its
# expiry forward; sign-in sets the expiry per session, 30 min for privileged roles (staff,
# committee admins), 2 h for everyone else. (No absolute limit yet.)
# The idle expiry moves forward at most once a minute (accounts.sessions), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = 60
SESSION_IDLE_TIMEOUT = 2 * 60 * 60
SESSION_IDLE_TIMEOUT_PRIVILEGED = 30 * 60
SESSION_ABSOLUTE_TIMEOUT = 14 * 24 * 60 * 60
SESSION_ABSOLUTE_TIMEOUT_PRIVILEGED = 12 * 60 * 60
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Cookies only over https (HDR): off just for a local DEBUG-off run over plain http
    # (README "DEBUG off over plain http"); the __Host- prefix needs the Secure flag.
    SECURE_COOKIES = env.bool("SECURE_COOKIES", default=True)
    SESSION_COOKIE_SECURE = SECURE_COOKIES
    CSRF_COOKIE_SECURE = SECURE_COOKIES
    LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
    if SECURE_COOKIES:
        SESSION_COOKIE_NAME = "__Host-sessionid"
        CSRF_COOKIE_NAME = "__Host-csrftoken"

# Content Security Policy (django-csp 4): nothing inline, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
# The languages the software offers; the association picks which of them its site shows.
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("de", _("German")),
]
LOCALE_PATHS = [BASE_DIR / "twinning" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # storage; each request is shown in the association's time zone

# --- Static and media files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "twinning" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploads of private documents and every original-derived file (twinning/core/media.py): never
# served by the web server, only through views that check permission (UPL-5).
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private-media")))
# Uploads above this size go to a temporary file instead of memory; the request body without
# files is capped at DATA_UPLOAD_MAX_MEMORY_SIZE. Each upload field sets its own byte limit
# (twinning/core/uploads/policy.py UploadLimits).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440


def s3_media_settings(get: Callable[[str], str]) -> tuple[dict, dict, list[str]]:
    """(public storage, private storage, public media origins) for MEDIA_STORAGE=s3, from the
    S3_* variables that `get(name)` returns ("" when unset). The tests build their S3 storages
    with it too, so they test what production runs."""
    s3: dict[str, Any] = {
        # Only what is set: unset keys leave boto3 its own chain (instance role, ~/.aws).
        name: get(variable)
        for name, variable in (
            ("endpoint_url", "S3_ENDPOINT_URL"),
            ("region_name", "S3_REGION"),
            ("access_key", "S3_ACCESS_KEY_ID"),
            ("secret_key", "S3_SECRET_ACCESS_KEY"),
            ("addressing_style", "S3_ADDRESSING_STYLE"),
        )
        if get(variable)
    }
    if s3.get("addressing_style", "auto") not in ("auto", "path", "virtual"):
        raise ImproperlyConfigured("S3_ADDRESSING_STYLE must be auto, path or virtual.")
    # Larger downloads (a derivative being made) spool to a temporary file, not memory.
    s3["max_memory_size"] = FILE_UPLOAD_MAX_MEMORY_SIZE
    public_bucket, private_bucket = get("S3_PUBLIC_BUCKET"), get("S3_PRIVATE_BUCKET")
    if not public_bucket or not private_bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET.")
    if public_bucket == private_bucket:
        raise ImproperlyConfigured(
            "S3_PRIVATE_BUCKET must differ from S3_PUBLIC_BUCKET: private media never share a "
            "bucket that anyone may read."
        )
    domain = get("S3_PUBLIC_DOMAIN")
    public = {
        "BACKEND": "twinning.core.s3.PublicS3Storage",
        "OPTIONS": {
            **s3,
            "bucket_name": public_bucket,
            # S3_PUBLIC_ACL=none for a bucket that grants public reads by its policy and
            # refuses ACLs (S3 Object Ownership "bucket owner enforced").
            "default_acl": None
            if get("S3_PUBLIC_ACL") == "none"
            else (get("S3_PUBLIC_ACL") or "public-read"),
            "custom_domain": domain or None,
            "file_overwrite": False,
        },
    }
    private = {
        "BACKEND": "twinning.core.s3.PrivateS3Storage",
        "OPTIONS": {**s3, "bucket_name": private_bucket},
    }
    endpoint = urlsplit(s3.get("endpoint_url", ""))
    if get("S3_PUBLIC_ORIGIN"):
        origins = [get("S3_PUBLIC_ORIGIN")]
    elif domain:
        origins = [f"https://{domain}"]
    elif endpoint.netloc and s3.get("addressing_style") == "virtual":
        origins = [f"{endpoint.scheme}://{public_bucket}.{endpoint.netloc}"]
    elif endpoint.netloc:
        origins = [f"{endpoint.scheme}://{endpoint.netloc}"]
    else:  # Amazon S3 itself: the bucket's own host name, global and regional
        region = s3.get("region_name", "us-east-1")
        origins = [
            f"https://{public_bucket}.s3.amazonaws.com",
            f"https://{public_bucket}.s3.{region}.amazonaws.com",
        ]
    return public, private, origins


# Where media live: MEDIA_STORAGE=local (the default: MEDIA_ROOT and PRIVATE_MEDIA_ROOT on this
# machine) or s3 (two buckets of any S3-compatible store, through django-storages). Public media
# (the association's logo) go to a bucket that anyone may read, under plain URLs; private media
# (originals, derivatives, PDFs) to a bucket whose objects are private and have no URL: they are
# streamed through our views, which check permission and send the UPL-4 headers
# (twinning/core/s3.py says why not presigned URLs).
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
# Origins public media are served from, for the CSP's img-src (none when they are ours).
PUBLIC_MEDIA_ORIGINS: list[str] = []
if MEDIA_STORAGE == "local":
    _public_media: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _private_media: dict = {
        "BACKEND": "twinning.core.media.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    }
elif MEDIA_STORAGE == "s3":
    _public_media, _private_media, PUBLIC_MEDIA_ORIGINS = s3_media_settings(
        lambda name: env.str(name, default="")
    )
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {MEDIA_STORAGE!r}.")
STORAGES = {
    "default": _public_media,
    "private": _private_media,
    "staticfiles": {
        "BACKEND": env.str(
            "STATIC_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Public media on another origin are images our pages show (the logo): the CSP allows it, and
# `manage.py check` fails if the storage's URLs fall outside it (twinning/core/checks.py).
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].extend(PUBLIC_MEDIA_ORIGINS)
WHITENOISE_MAX_AGE = 3600

# --- E-mail -------------------------------------------------------------------------------
# The demo prints mail to the console; production sets EMAIL_URL (smtp://user:pass@host:587).
_email = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Twinning <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Online payments ----------------------------------------------------------------------
# Stripe Checkout is offered to members only when both keys are set (members/payments/).
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# Another server speaking Stripe's API (the tests' local fake); empty means Stripe itself.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")

# --- Background tasks (django-tasks) ------------------------------------------------------
# database: the django-tasks-db worker (`manage.py db_worker`); rq: RQ workers on REDIS_URL
# (`manage.py rqworker default`); immediate: run in-process (tests).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
# A running task's lease (database backend, DUR-4): the worker renews it every third of this
# many seconds; `sweep_tasks` re-queues a task whose lease lapsed (its worker died), until it
# was started TASK_MAX_ATTEMPTS times, then fails it visibly (twinning/core/leases.py).
TWINNING_TASK_LEASE_SECONDS = env.int("TASK_LEASE_SECONDS", default=60)
TWINNING_TASK_MAX_ATTEMPTS = env.int("TASK_MAX_ATTEMPTS", default=3)
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Twinning -----------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# The largest partnership file `import_partnerships` accepts (bytes); the real one is 1.8 MB.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
# The Unicode fonts every PDF embeds (DejaVu from npm, copied here by `make install`).
PDF_FONT_DIR = env.str("PDF_FONT_DIR", default=str(BASE_DIR / "twinning" / "core" / "fonts"))
# Exchanges (RELIABILITY P-10; docs/apps/exchanges.md "Retention"): an application that ended
# without a placement (a student declined by the association; a host family declined, left
# undecided, or approved and never placed) is deleted this many months after its decision or
# last activity, by the daily `exchanges_retention` job, not with its season.
EXCHANGES_UNPLACED_RETENTION_MONTHS = env.int("EXCHANGES_UNPLACED_RETENTION_MONTHS", default=6)
# Periodic jobs (management commands) and their intervals in seconds: `manage.py run_scheduler`.
TWINNING_SCHEDULE: dict[str, int] = {
    "send_due_messages": 60,  # the outbox: queued mail, retries after a mail server outage
    "send_renewal_reminders": 24 * 3600,  # members: 60, 30, 7 days before the end, then in grace
    "refresh_member_status": 3600,  # members: stored statuses the calendar changed (at midnight)
    "send_webinar_reminders": 300,  # events: webinar join links, reminders 24 h and 1 h before
    "showcase_retention": 24 * 3600,  # showcase: personal data deleted after the retention period
    "summit_retention": 24 * 3600,  # events: summit health data after 60 days, the rest 24 months
    "sweep_media": 24 * 3600,  # private files left by a crash between storing and saving
    "sweep_tasks": 60,  # tasks whose worker died: queued again, or failed visibly (DUR-4)
    "events_expire_offers": 300,  # events: unanswered waiting-list offers pass to the next party
    "grants_report_reminders": 24 * 3600,  # grants: reports due in 30 and 7 days, and overdue
    "exchanges_retention": 24 * 3600,  # exchanges: personal data after a season's period
    "exchanges_contact_alerts": 24 * 3600,  # exchanges: months without a monthly contact
    "exchanges_report_alerts": 3600,  # exchanges: overdue incident reports to the Department
}
