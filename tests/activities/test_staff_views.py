"""Staff pages of activity reports: the list and its filters, review (send back, verify), the
dormant partnerships, letters and the annual report; everyone but verified staff refused."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory
from tests.factories.activities import ActivityFactory, TravellerFactory
from twinning.activities import services
from twinning.activities.models import AnnualReport
from twinning.network.models import Partnership
from twinning.outbox.models import OutboxMessage

REFUSED = [
    ("anonymous", 302),
    ("public", 404),
    ("committee_admin", 404),
    ("other_committee_admin", 404),
    ("staff_without_otp", 302),
]


def test_staff_list_shows_reports_of_every_member(staff, activity, other_activity):
    response = staff.get("/staff/activities/")

    assert set(response.context["page"].object_list) == {activity, other_activity}


def test_staff_list_filters_by_state_and_country(staff, activity, other_activity):
    other_activity.state = "submitted"
    other_activity.save()

    by_state = staff.get("/staff/activities/?state=submitted")
    by_country = staff.get("/staff/activities/?country=fr")

    assert list(by_state.context["page"].object_list) == [other_activity]
    assert list(by_country.context["page"].object_list) == [activity]


def test_staff_list_says_what_is_wrong_with_a_bad_year(staff, activity):
    response = staff.get("/staff/activities/?year=20x5&state=nonsense")

    assert response.status_code == 200
    assert "four digits" in response.content.decode()
    assert list(response.context["page"].object_list) == [activity]


@pytest.mark.parametrize("item_count", [1, 3])
def test_staff_list_queries_do_not_grow_with_the_reports(
    staff, springfield_member, partnership, item_count, django_assert_num_queries
):
    for _ in range(item_count):
        ActivityFactory(member=springfield_member, partnerships=[partnership])
    staff.get("/staff/activities/")  # warm the caches

    # session, user, OTP device, count, page (with member), partnerships prefetch
    with django_assert_num_queries(6):
        response = staff.get("/staff/activities/")

    assert len(response.context["page"].object_list) == item_count


@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_staff_list_refuses_everyone_else(request, role, status, activity):
    response = request.getfixturevalue(role).get("/staff/activities/")

    assert response.status_code == status
    assert activity.title.encode() not in response.content


def test_verify_from_the_detail_page(staff, staff_user, committee_admin_user, activity):
    services.submit_activity(activity=activity, by=committee_admin_user)

    response = staff.post(f"/staff/activities/{activity.pk}/verify/", follow=True)

    activity.refresh_from_db()
    assert activity.state == "verified"
    assert "now counts in the figures" in response.content.decode()


def test_verify_a_draft_is_refused_with_a_message(staff, activity):
    response = staff.post(f"/staff/activities/{activity.pk}/verify/", follow=True)

    activity.refresh_from_db()
    assert activity.state == "draft"
    assert "Only a submitted report" in response.content.decode()


def test_request_changes_queues_the_message_for_the_committee(
    staff, committee_admin_user, activity
):
    services.submit_activity(activity=activity, by=committee_admin_user)

    staff.post(f"/staff/activities/{activity.pk}/request-changes/", {"message": "More photos"})

    activity.refresh_from_db()
    assert activity.state == "changes_requested"
    assert OutboxMessage.objects.get().to == committee_admin_user.email


def test_request_changes_without_a_message_is_refused(staff, committee_admin_user, activity):
    services.submit_activity(activity=activity, by=committee_admin_user)

    response = staff.post(f"/staff/activities/{activity.pk}/request-changes/", {"message": ""})

    activity.refresh_from_db()
    assert response.status_code == 400
    assert activity.state == "submitted"


@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_review_actions_by_anyone_else_change_nothing(
    request, role, status, committee_admin_user, activity
):
    services.submit_activity(activity=activity, by=committee_admin_user)
    client = request.getfixturevalue(role)

    verify = client.post(f"/staff/activities/{activity.pk}/verify/")
    send_back = client.post(f"/staff/activities/{activity.pk}/request-changes/", {"message": "x"})

    activity.refresh_from_db()
    assert (verify.status_code, send_back.status_code) == (status, status)
    assert activity.state == "submitted"


def test_staff_download_a_travellers_letter(
    staff, committee_admin_user, delegation, django_capture_on_commit_callbacks
):
    traveller = TravellerFactory(activity=delegation)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_invitation_letters(activity=delegation, by=committee_admin_user)

    response = staff.get(f"/staff/activities/{delegation.pk}/travellers/{traveller.pk}/letter.pdf")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_dormant_list_shows_partnerships_without_recent_activity(
    staff, springfield_member, partnership, springfield
):
    partner = CommunityFactory(name="Recentville")
    a, b = sorted([springfield, partner], key=lambda c: c.pk)
    recent = PartnershipFactory(community_a=a, community_b=b)
    today = timezone.localdate()
    ActivityFactory(
        member=springfield_member,
        partnerships=[recent],
        state="verified",
        start_date=today - datetime.timedelta(days=30),
        end_date=today - datetime.timedelta(days=29),
    )
    ActivityFactory(
        member=springfield_member,
        partnerships=[partnership],
        state="submitted",
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2015, 1, 2),
    )
    PartnershipFactory()  # no member on either side: not listed

    response = staff.get("/staff/activities/dormant/")

    rows = response.context["rows"]
    assert [row["partnership"] for row in rows] == [partnership]
    assert rows[0]["last"].end_date == datetime.date(2015, 1, 2)


def test_dormant_list_includes_partnerships_dormant_by_status(
    staff, springfield_member, partnership
):
    today = timezone.localdate()
    ActivityFactory(
        member=springfield_member,
        partnerships=[partnership],
        state="verified",
        start_date=today,
        end_date=today,
    )
    Partnership.objects.filter(pk=partnership.pk).update(status="dormant")

    response = staff.get("/staff/activities/dormant/?years=abc")

    assert [row["partnership"] for row in response.context["rows"]] == [partnership]
    assert response.context["years"] == 2


@pytest.mark.parametrize("item_count", [1, 3])
def test_dormant_list_queries_do_not_grow(staff, item_count, django_assert_num_queries):
    member = MemberFactory()
    for _ in range(item_count):
        partnership = PartnershipFactory()
        member.communities.add(partnership.community_a)
    staff.get("/staff/activities/dormant/")

    with django_assert_num_queries(6):
        response = staff.get("/staff/activities/dormant/")

    assert len(response.context["rows"]) == item_count


def test_staff_ask_for_the_annual_report_and_download_it(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/staff/impact/report/", {"year": "2025"})

    report = AnnualReport.objects.get()
    assert response.status_code == 302
    assert report.state == "ready"
    download = staff.get(f"/staff/impact/report/{report.pk}.pdf")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_annual_report_for_a_nonsense_year_is_refused(staff):
    response = staff.post("/staff/impact/report/", {"year": "1066"})

    assert response.status_code == 400
    assert AnnualReport.objects.count() == 0


@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_annual_report_is_refused_to_everyone_else(request, role, status):
    response = request.getfixturevalue(role).post("/staff/impact/report/", {"year": "2025"})

    assert response.status_code == status
    assert AnnualReport.objects.count() == 0
