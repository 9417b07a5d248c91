"""The association is data, not code: its name, contacts, currency, time zone and languages."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from twinning.core.models import ActivityLog, Association
from twinning.core.services import get_association, update_association


@pytest.mark.django_db
def test_association_name_and_contact_appear_on_every_page(anonymous, staff_user):
    association = Association.load()
    update_association(
        association=association,
        by=staff_user,
        name="Town Twinning Federation",
        short_name="TTF",
        email="office@ttf.example",
    )

    html = anonymous.get("/").content.decode()

    assert "Town Twinning Federation" in html
    assert "office@ttf.example" in html


@pytest.mark.django_db
def test_update_association_logs_what_changed(staff_user):
    association = Association.load()

    update_association(association=association, by=staff_user, currency="eur")

    entry = ActivityLog.objects.get(action="core.association.changed")
    assert entry.actor == staff_user
    assert entry.data == {"currency": "eur"}
    assert Association.load().currency == "EUR"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("currency", "XYZ"), ("time_zone", "Mars/Olympus"), ("languages", ["tlh"])],
)
def test_update_association_refuses_unknown_values_and_changes_nothing(staff_user, field, value):
    association = Association.load()

    with pytest.raises(ValidationError) as error:
        update_association(association=association, by=staff_user, **{field: value})

    assert field in error.value.message_dict
    assert Association.objects.get().currency == "USD"
    assert not ActivityLog.objects.exists()


@pytest.mark.django_db
def test_pages_are_shown_in_the_associations_time_zone(anonymous, staff_user):
    update_association(association=Association.load(), by=staff_user, time_zone="Asia/Tokyo")

    response = anonymous.get("/")

    assert response.status_code == 200
    assert get_association().time_zone == "Asia/Tokyo"
    assert timezone.get_current_timezone_name() == "UTC"  # reset after the request


@pytest.mark.django_db
def test_a_language_the_association_does_not_offer_falls_back_to_its_first(anonymous, staff_user):
    update_association(association=Association.load(), by=staff_user, languages=["fr", "en"])

    response = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="de")

    assert response["Content-Language"] == "fr"


@pytest.mark.django_db
def test_an_offered_language_is_used(anonymous, staff_user):
    update_association(association=Association.load(), by=staff_user, languages=["en", "de"])

    response = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="de")

    assert response["Content-Language"] == "de"
