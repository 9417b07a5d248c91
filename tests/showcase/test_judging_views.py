"""Judging pages by role: staff's progress, decisions (identity shown only once decided, BLIND-6)
and publishing; a committee admin's local round; reviewers' media (assigned judges only)."""

import pytest

from tests.conftest import _client_for
from tests.showcase.judging_helpers import (
    add_judges,
    close,
    entrant,
    item_of,
    judged_edition,
    submitted_entry,
    win,
)
from twinning.review.models import Assignment, Decision
from twinning.showcase.models import JudgingRound
from twinning.showcase.services import national_round, open_judging, withdraw_consent


@pytest.fixture
def entry(edition, springfield):
    student = entrant(edition, springfield, first_name="Zoë", last_name="Identitysurname")
    return submitted_entry(edition, student, title="River song")


def test_staff_open_judging_and_see_progress_per_category(staff, edition, entry):
    close(edition)

    staff.post(f"/staff/showcase/{edition.slug}/judging/open/")
    page = staff.get(f"/staff/showcase/{edition.slug}/judging/")

    assert national_round(edition).round.items.count() == 1
    assert "Photography" in page.text
    assert "national round" in page.text
    assert "Every entry eligible for judging is in a round." in page.text


def test_staff_see_identity_only_after_a_decision_and_judges_never(
    staff, edition, entry, staff_user
):
    national = judged_edition(edition, [entry], staff_user=staff_user)
    before = staff.get(f"/staff/showcase/{edition.slug}/judging/results/")
    win(edition, entry, staff_user=staff_user)
    after = staff.get(f"/staff/showcase/{edition.slug}/judging/results/")
    judge = Assignment.objects.filter(item__round=national).first().reviewer.user
    work = entry.review_work()
    from django.template.loader import render_to_string

    judge_view = render_to_string(work.template, work.context)

    assert item_of(entry, national).code in before.text
    assert "Identitysurname" not in before.text
    assert "Zoë Identitysurname, Springfield" in after.text
    assert "Identitysurname" not in judge_view and "Zoë" not in judge_view
    assert (
        _client_for(judge).get(f"/staff/showcase/{edition.slug}/judging/results/").status_code
        == 404
    )


def test_staff_decision_without_a_place_for_a_winner_changes_nothing(
    staff, edition, entry, staff_user
):
    national = judged_edition(edition, [entry], staff_user=staff_user)
    item = item_of(entry, national)

    response = staff.post(
        f"/staff/showcase/{edition.slug}/judging/items/{item.pk}/decide/",
        {"outcome": "winner", "place": ""},
        follow=True,
    )

    assert "A winner needs a place" in response.text
    assert not Decision.objects.filter(item=item).exists()


def test_staff_publish_from_the_judging_page(staff, edition, entry, staff_user):
    national = judged_edition(edition, [entry], staff_user=staff_user)
    staff.post(
        f"/staff/showcase/{edition.slug}/judging/items/{item_of(entry, national).pk}/decide/",
        {"outcome": "winner", "place": "1"},
    )

    response = staff.post(f"/staff/showcase/{edition.slug}/judging/publish/", follow=True)

    edition.refresh_from_db()
    assert edition.results_published
    assert "wait in the outbox" in response.text


def test_committee_admin_sets_up_a_local_round_from_the_portal(
    committee_admin, edition, springfield_member
):
    response = committee_admin.post(
        f"/portal/showcase/{edition.slug}/local-round/",
        {"member": springfield_member.pk},
        follow=True,
    )

    local = JudgingRound.objects.local().get()
    assert local.member == springfield_member
    assert local.round.forward_limit == 5
    assert "Your local round is set up" in response.text


def test_other_committee_admin_cannot_set_up_springfields_round(
    other_committee_admin, edition, springfield_member
):
    response = other_committee_admin.post(
        f"/portal/showcase/{edition.slug}/local-round/", {"member": springfield_member.pk}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not JudgingRound.objects.exists()


def test_local_round_page_is_404_for_users_without_a_committee(public, student_client, edition):
    assert public.get(f"/portal/showcase/{edition.slug}/local-round/").status_code == 404
    assert student_client.get(f"/portal/showcase/{edition.slug}/local-round/").status_code == 404


def test_judge_media_only_for_assigned_judges_while_consent_holds(edition, entry, staff_user):
    close(edition)
    open_judging(edition=edition, by=staff_user)
    national = national_round(edition).round
    (assigned,) = add_judges(national, 1, by=staff_user)
    from twinning.review.services import assign_reviews

    assign_reviews(round=national, by=staff_user)
    unassigned = _client_for(add_judges(national, 1, by=staff_user)[0])
    url = entry.review_work().context["derivative"]["url"]
    judge = _client_for(assigned)

    response = judge.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('inline; filename="work.')
    assert unassigned.get(url).status_code == 404
    assert _client_for(entry.student.user).get(url).status_code == 404

    withdraw_consent(student=entry.student, scope="participation", by=entry.student.user)
    assert judge.get(url).status_code == 404
