"""System checks of our own settings."""

from django.core.checks import Error, Tags, Warning, register


@register()
def scheduled_commands_exist(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    """Every job in TWINNING_SCHEDULE names a management command that exists."""
    from twinning.core.schedule import unknown_commands

    return [
        Error(
            f"TWINNING_SCHEDULE names {name!r}, which is not a management command.",
            id="twinning.E001",
        )
        for name in unknown_commands()
    ]


@register()
def public_media_origin_allowed(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    """Public media on another origin (S3) must be allowed by the CSP's img-src, or the
    association's logo would be blocked on every page."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.core.files.storage import default_storage

    try:
        url = urlsplit(default_storage.url("probe.png"))
    except (NotImplementedError, ValueError):
        return []
    if not url.netloc:
        return []  # served by this site, under MEDIA_URL
    origin = f"{url.scheme}://{url.netloc}"
    allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].get("img-src", [])
    if origin in allowed:
        return []
    return [
        Error(
            f"Public media are served from {origin}, which the Content Security Policy's "
            "img-src does not allow.",
            hint="Set S3_PUBLIC_ORIGIN to that origin (.env.example).",
            id="twinning.E002",
        )
    ]


@register(Tags.caches, deploy=True)
def shared_cache_when_deployed(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    """Deployed, the cache must be shared by the web processes: the sign-in limits count in it
    (per process they would multiply by the number of workers), and the cached figures would
    be computed and held once per process (README, "Caches")."""
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or not backend.endswith(("LocMemCache", "DummyCache")):
        return []
    return [
        Warning(
            "The cache is local to each process: sign-in limits and cached figures are not "
            "shared between web processes.",
            hint="Set REDIS_URL (or CACHE_URL) to a shared cache.",
            id="twinning.W001",
        )
    ]
