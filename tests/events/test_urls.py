"""The events app's parts share one namespace: no fixed path of one part may be read as an
event's slug by another part's pattern (/staff/events/registration/ once answered 404)."""

from django.urls import get_resolver, resolve, reverse

from twinning.events.services.events import RESERVED_SLUGS


def _fixed_routes() -> list[str]:
    resolver = get_resolver()
    namespace = resolver.namespace_dict["events"][1]
    return [
        name
        for name, entries in namespace.reverse_dict.lists()
        if isinstance(name, str)
        and any(not possibility[1] for entry in entries for possibility in entry[0])
    ]


def test_every_fixed_events_path_resolves_to_its_own_view():
    names = _fixed_routes()
    assert "staff_registration_events" in names and "event_list" in names
    for name in names:
        path = reverse(f"events:{name}")
        assert resolve(path).url_name == name, path


def test_the_first_segment_of_every_fixed_events_path_is_never_an_event_slug():
    for name in _fixed_routes():
        parts = reverse(f"events:{name}").strip("/").split("/")
        if parts[0] == "events" and len(parts) > 1:
            assert parts[1] in RESERVED_SLUGS or "." in parts[1], reverse(f"events:{name}")
