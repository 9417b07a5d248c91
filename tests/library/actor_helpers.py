"""The library's services in tests/core/test_service_actors.py: a members-only resource and
its arguments, for actors who may not use them (none of the three actors is staff with a
second factor or a member in good standing, so each is refused, downloads included)."""

from types import SimpleNamespace

from tests.library.helpers import link
from twinning.library.models import Resource, Topic


def actor_world() -> SimpleNamespace:
    resource = link("Actor guide", access=Resource.Access.MEMBERS)
    french = link("Guide acteur", language="fr", access=Resource.Access.MEMBERS)
    return SimpleNamespace(resource=resource, french=french, topic=Topic.objects.first())


_R = "library.services.resources."
ACTOR_CASES = {
    f"{_R}create_resource": lambda w: {
        "title": "Rogue",
        "summary": "x",
        "kind": "link",
        "language": "en",
        "url": "https://example.org/rogue",
    },
    f"{_R}update_resource": lambda w: {"resource": w.library.resource},
    f"{_R}add_version": lambda w: {
        "resource": w.library.resource,
        "change_note": "Rogue",
        "url": "https://example.org/rogue",
    },
    f"{_R}create_topic": lambda w: {"name": "Rogue topic"},
    f"{_R}link_translation": lambda w: {"resource": w.library.resource, "other": w.library.french},
    f"{_R}unlink_translation": lambda w: {"resource": w.library.resource},
    "library.services.downloads.record_download": lambda w: {
        "resource": w.library.resource,
        "version": w.library.resource.versions.get(),
    },
}
