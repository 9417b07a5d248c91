"""The committee's activity pages: what its admins see and do, and that everyone else is
refused without anything changing (C1-C3)."""

import datetime

import pytest

from tests.factories import CommunityFactory, PartnershipFactory
from tests.factories.activities import ActivityFactory, TravellerFactory
from twinning.activities import services
from twinning.activities.models import Activity, Traveller

ROLES_REFUSED = [
    ("anonymous", 302),
    ("public", 404),
    ("other_committee_admin", 404),
    ("staff_without_otp", 404),
    ("staff", 404),
]


def _form(partnership, **extra):
    data = {
        "title": "Youth orchestra tour",
        "kind": "performance",
        "partnerships": [partnership.pk],
        "start_date": "2025-07-01",
        "end_date": "2025-07-05",
        "places": "Concert hall",
        "description": "",
        "visitors_under_18": 30,
        "visitors_18_30": 2,
        "visitors_over_30": 4,
        "hosts_under_18": 0,
        "hosts_18_30": 0,
        "hosts_over_30": 6,
        "volunteer_hours": 120,
        "money_raised": "4000.00",
        "money_spent": "3500.25",
        "agreements_signed": 1,
        "follow_ups": "A return visit next spring.",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_activity_list_shows_the_members_own_reports_only(
    committee_admin, springfield_member, activity, other_activity
):
    response = committee_admin.get(f"/portal/{springfield_member.slug}/activities/")

    assert list(response.context["page"].object_list) == [activity]
    assert other_activity.title not in response.content.decode()


@pytest.mark.parametrize(("role", "status"), ROLES_REFUSED)
def test_activity_list_refuses_everyone_but_the_members_admins(
    request, role, status, springfield_member, activity
):
    client = request.getfixturevalue(role)

    response = client.get(f"/portal/{springfield_member.slug}/activities/")

    assert response.status_code == status
    assert activity.title.encode() not in response.content


@pytest.mark.parametrize("item_count", [1, 3])
def test_activity_list_queries_do_not_grow_with_the_reports(
    committee_admin, springfield_member, partnership, item_count, django_assert_num_queries
):
    for _ in range(item_count):
        ActivityFactory(member=springfield_member, partnerships=[partnership])
    committee_admin.get(f"/portal/{springfield_member.slug}/activities/")  # warm the caches

    # session, user, member, permission check, count, page, partnerships prefetch
    with django_assert_num_queries(7):
        response = committee_admin.get(f"/portal/{springfield_member.slug}/activities/")

    assert len(response.context["page"].object_list) == item_count


def test_create_activity_through_the_form_saves_a_draft(
    committee_admin, springfield_member, partnership
):
    response = committee_admin.post(
        f"/portal/{springfield_member.slug}/activities/new/", _form(partnership)
    )

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/{springfield_member.slug}/activities/{activity.pk}/"
    assert (activity.sector, activity.money_spent, activity.participants) == (
        "arts",
        pytest.approx(3500.25),
        42,
    )


def test_create_activity_with_another_committees_partnership_is_refused_c3(
    committee_admin, springfield_member, partnership, other_partnership
):
    response = committee_admin.post(
        f"/portal/{springfield_member.slug}/activities/new/",
        _form(partnership, partnerships=[partnership.pk, other_partnership.pk]),
    )

    assert response.status_code == 400
    assert "Choose partnerships of your own" in response.content.decode()
    assert Activity.objects.count() == 0
    assert other_partnership.activities.count() == 0


def test_create_activity_with_nonsense_input_says_what_is_wrong(
    committee_admin, springfield_member, partnership
):
    response = committee_admin.post(
        f"/portal/{springfield_member.slug}/activities/new/",
        _form(
            partnership,
            end_date="2025-06-01",
            money_raised="-5",
            visitors_under_18="lots",
            kind="bogus",
            partnerships=["x"],
        ),
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"end_date", "money_raised", "visitors_under_18", "kind", "partnerships"}
    assert Activity.objects.count() == 0


def test_create_activity_posted_for_another_member_answers_404(
    other_committee_admin, springfield_member, partnership
):
    response = other_committee_admin.post(
        f"/portal/{springfield_member.slug}/activities/new/", _form(partnership)
    )

    assert response.status_code == 404
    assert Activity.objects.count() == 0


def test_edit_activity_changes_the_draft(
    committee_admin, springfield_member, activity, partnership
):
    response = committee_admin.post(
        f"/portal/{springfield_member.slug}/activities/{activity.pk}/edit/",
        _form(partnership, title="Renamed"),
    )

    activity.refresh_from_db()
    assert response.status_code == 302
    assert activity.title == "Renamed"


def test_edit_activity_with_a_tampered_partnership_changes_nothing_c3(
    committee_admin, springfield_member, activity, partnership, other_partnership
):
    response = committee_admin.post(
        f"/portal/{springfield_member.slug}/activities/{activity.pk}/edit/",
        _form(partnership, title="Renamed", partnerships=[other_partnership.pk]),
    )

    activity.refresh_from_db()
    assert response.status_code == 400
    assert activity.title != "Renamed"
    assert list(activity.partnerships.all()) == [partnership]


def test_other_committee_cannot_reach_a_report_through_its_own_member_url(
    other_committee_admin, other_committee_admin_user, activity
):
    other = other_committee_admin_user.administered_members.get()

    response = other_committee_admin.get(f"/portal/{other.slug}/activities/{activity.pk}/")

    assert response.status_code == 404


def test_submit_sends_the_report_to_staff(committee_admin, springfield_member, activity):
    response = committee_admin.post(
        f"/portal/{springfield_member.slug}/activities/{activity.pk}/submit/", follow=True
    )

    activity.refresh_from_db()
    assert activity.state == "submitted"
    assert "sent to the association" in response.content.decode()


@pytest.mark.parametrize(("role", "status"), ROLES_REFUSED)
def test_submit_by_anyone_else_changes_nothing(request, role, status, springfield_member, activity):
    client = request.getfixturevalue(role)

    response = client.post(f"/portal/{springfield_member.slug}/activities/{activity.pk}/submit/")

    activity.refresh_from_db()
    assert response.status_code == status
    assert activity.state == "draft"


def test_submitted_report_is_read_only_on_its_page(
    committee_admin, committee_admin_user, springfield_member, activity
):
    services.submit_activity(activity=activity, by=committee_admin_user)

    response = committee_admin.get(f"/portal/{springfield_member.slug}/activities/{activity.pk}/")
    edit = committee_admin.get(f"/portal/{springfield_member.slug}/activities/{activity.pk}/edit/")

    assert "Submit to staff" not in response.content.decode()
    assert edit.status_code == 302


def test_staff_message_shows_on_a_report_sent_back(
    committee_admin, committee_admin_user, staff_user, springfield_member, activity
):
    services.submit_activity(activity=activity, by=committee_admin_user)
    services.request_changes(activity=activity, message="Count the hosts too.", by=staff_user)

    response = committee_admin.get(f"/portal/{springfield_member.slug}/activities/{activity.pk}/")

    assert "Count the hosts too." in response.content.decode()


def test_delegation_travellers_and_itinerary_are_added_from_its_page(
    committee_admin, springfield_member, delegation
):
    base = f"/portal/{springfield_member.slug}/activities/{delegation.pk}/"

    committee_admin.post(base + "travellers/", {"name": "Ana Mayor", "role": "head"})
    committee_admin.post(
        base + "itinerary/", {"date": "2025-09-02", "place": "City hall", "purpose": "Welcome"}
    )

    page = committee_admin.get(base).content.decode()
    assert "Ana Mayor" in page
    assert "City hall" in page
    assert "passport" in page.lower()  # the page says passport details are never asked


def test_traveller_of_another_committee_cannot_be_removed(
    committee_admin, springfield_member, delegation, other_committee_admin_user, other_partnership
):
    other = other_committee_admin_user.administered_members.get()
    theirs = TravellerFactory(
        activity=ActivityFactory(member=other, partnerships=[other_partnership], is_delegation=True)
    )

    response = committee_admin.post(
        f"/portal/{springfield_member.slug}/activities/{delegation.pk}/travellers/{theirs.pk}/remove/"
    )

    assert response.status_code == 404
    assert Traveller.objects.filter(pk=theirs.pk).exists()


def test_letter_is_downloaded_by_the_committee_as_an_attachment(
    committee_admin,
    committee_admin_user,
    springfield_member,
    delegation,
    django_capture_on_commit_callbacks,
):
    traveller = TravellerFactory(activity=delegation, name="Ana Mayor")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_invitation_letters(activity=delegation, by=committee_admin_user)

    response = committee_admin.get(
        f"/portal/{springfield_member.slug}/activities/{delegation.pk}/travellers/{traveller.pk}/letter.pdf"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(("role", "status"), ROLES_REFUSED)
def test_letter_is_refused_to_everyone_else_on_the_portal(  # noqa: PLR0917 - pytest fixtures
    request,
    role,
    status,
    committee_admin_user,
    springfield_member,
    delegation,
    django_capture_on_commit_callbacks,
):
    traveller = TravellerFactory(activity=delegation)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_invitation_letters(activity=delegation, by=committee_admin_user)
    client = request.getfixturevalue(role)

    response = client.get(
        f"/portal/{springfield_member.slug}/activities/{delegation.pk}/travellers/{traveller.pk}/letter.pdf"
    )

    assert response.status_code == status


def test_photo_is_uploaded_and_served_without_metadata_to_the_committee(
    committee_admin, springfield_member, activity
):
    from tests.activities.matrix import tiny_png

    base = f"/portal/{springfield_member.slug}/activities/{activity.pk}/"
    upload = {"caption": "On stage", "photo": _file("stage.png", tiny_png())}

    committee_admin.post(base + "photos/", upload)

    photo = activity.photos.get()
    response = committee_admin.get(base + f"photos/{photo.pk}/thumb/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == photo.thumb_content_type


def test_photo_that_is_not_an_image_is_refused_with_a_message(
    committee_admin, springfield_member, activity
):
    base = f"/portal/{springfield_member.slug}/activities/{activity.pk}/"

    response = committee_admin.post(
        base + "photos/",
        {"caption": "x", "photo": _file("x.jpg", b"GIF89a<script>")},
        follow=True,
    )

    assert activity.photos.count() == 0
    assert list(response.context["messages"])


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_activity_form_offers_only_the_members_partnerships(
    committee_admin, springfield_member, partnership, other_partnership
):
    response = committee_admin.get(f"/portal/{springfield_member.slug}/activities/new/")

    offered = list(response.context["form"].fields["partnerships"].queryset)
    assert offered == [partnership]


def test_dates_are_shown_in_the_form_when_editing(committee_admin, springfield_member, partnership):
    home = springfield_member.communities.get()
    partner = CommunityFactory()
    a, b = sorted([home, partner], key=lambda c: c.pk)
    second = PartnershipFactory(community_a=a, community_b=b)
    activity = ActivityFactory(
        member=springfield_member,
        partnerships=[partnership, second],
        start_date=datetime.date(2024, 3, 9),
        end_date=datetime.date(2024, 3, 10),
    )

    response = committee_admin.get(
        f"/portal/{springfield_member.slug}/activities/{activity.pk}/edit/"
    )

    page = response.content.decode()
    assert 'value="2024-03-09"' in page
    assert response.context["form"].initial["partnerships"] == [partnership.pk, second.pk]
