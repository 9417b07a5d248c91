"""Judging set-up and results through the services: national and local rounds, opening
judging, forwarding with provenance, decisions, publishing (held e-mails, exhibit, certificates)."""

import pytest
from django.core.exceptions import ValidationError

from tests.showcase.judging_helpers import (
    add_judges,
    close,
    entrant,
    item_of,
    judged_edition,
    published,
    score_everything,
    submitted_entry,
    win,
)
from twinning.core.authz import NotAllowed
from twinning.outbox.models import OutboxMessage
from twinning.review.models import Decision, ReviewItem, Round
from twinning.review.services import forward_items
from twinning.showcase.models import Certificate, ExhibitWork, JudgingRound
from twinning.showcase.services import (
    create_local_round,
    decide_entry,
    national_round,
    open_judging,
    publish_results,
)


@pytest.fixture
def two_entries(edition, springfield, sister_city):
    home = submitted_entry(edition, entrant(edition, springfield), title="Home river")
    away = submitted_entry(
        edition, entrant(edition, sister_city), category="poetry", title="Far hills", data=None
    )
    return home, away


def test_open_judging_puts_entries_without_local_round_in_the_national_round_by_category(
    edition, two_entries, staff_user
):
    close(edition)

    open_judging(edition=edition, by=staff_user)

    national = national_round(edition).round
    assert national.state == Round.State.OPEN
    assert sorted(national.items.values_list("title", "group")) == [
        ("Far hills", "poetry"),
        ("Home river", "photography"),
    ]
    assert [c.name for c in national.criteria.all()] == [
        "Originality",
        "Composition or craft",
        "Interpretation of the theme",
    ]


def test_open_judging_before_the_deadline_is_refused(edition, two_entries, staff_user):
    with pytest.raises(ValidationError, match="after the edition closes"):
        open_judging(edition=edition, by=staff_user)

    assert not JudgingRound.objects.exists()


def test_entry_without_participation_consent_stays_out_of_judging(edition, springfield, staff_user):
    from tests.showcase.conftest import make_student

    student = make_student(edition, springfield)  # the guardian has not answered
    submitted_entry(edition, student)
    close(edition)

    open_judging(edition=edition, by=staff_user)

    assert ReviewItem.objects.count() == 0


def test_local_round_takes_its_communities_entries_and_forwards_to_national(
    edition, two_entries, springfield_member, committee_admin_user, staff_user
):
    _home, _away = two_entries
    local = create_local_round(edition=edition, member=springfield_member, by=committee_admin_user)
    close(edition)

    open_judging(edition=edition, by=staff_user)

    national = national_round(edition).round
    assert list(local.round.items.values_list("title", flat=True)) == ["Home river"]
    assert list(national.items.values_list("title", flat=True)) == ["Far hills"]
    assert local.round.forward_limit == 5
    assert local.round.next_round == national
    assert local.round.owner_member == springfield_member


def test_forwarding_from_a_local_round_keeps_the_provenance(
    edition, two_entries, springfield_member, committee_admin_user, staff_user
):
    home, _away = two_entries
    local = create_local_round(edition=edition, member=springfield_member, by=committee_admin_user)
    close(edition)
    open_judging(edition=edition, by=staff_user)
    add_judges(local.round, 3, by=committee_admin_user)
    score_everything(local.round, by=committee_admin_user)
    national = national_round(edition).round

    forward_items(items=[item_of(home, local.round)], to_round=national, by=committee_admin_user)

    forwarded = item_of(home, national)
    assert forwarded.forwarded_from == item_of(home, local.round)
    assert forwarded.code != forwarded.forwarded_from.code


def test_other_committees_admin_cannot_create_a_local_round(
    edition, springfield_member, other_committee_admin_user
):
    with pytest.raises(NotAllowed):
        create_local_round(
            edition=edition, member=springfield_member, by=other_committee_admin_user
        )

    assert not JudgingRound.objects.exists()


def test_local_round_after_judging_opened_is_refused(
    edition, two_entries, springfield_member, committee_admin_user, staff_user
):
    close(edition)
    open_judging(edition=edition, by=staff_user)

    with pytest.raises(ValidationError, match="already opened"):
        create_local_round(edition=edition, member=springfield_member, by=committee_admin_user)

    assert JudgingRound.objects.local().count() == 0


def test_a_winners_place_is_required_and_unique_per_category(edition, two_entries, staff_user):
    home, _away = two_entries
    other = submitted_entry(edition, entrant(edition, home.student.community), title="Old mill")
    judged_edition(edition, [home, other], staff_user=staff_user)
    national = national_round(edition).round
    win(edition, home, staff_user=staff_user, place=1)

    with pytest.raises(ValidationError, match="1st, 2nd or 3rd"):
        decide_entry(
            edition=edition,
            item=item_of(other, national),
            outcome="winner",
            place=None,
            by=staff_user,
        )
    with pytest.raises(ValidationError, match="already has this place"):
        decide_entry(
            edition=edition,
            item=item_of(other, national),
            outcome="winner",
            place=1,
            by=staff_user,
        )

    assert Decision.objects.filter(item=item_of(other, national)).count() == 0


def test_publishing_needs_a_winner(edition, two_entries, staff_user):
    judged_edition(edition, two_entries, staff_user=staff_user)

    with pytest.raises(ValidationError, match="at least one winner"):
        publish_results(edition=edition, by=staff_user)

    edition.refresh_from_db()
    assert edition.results_published_at is None


def test_publishing_holds_emails_for_students_guardians_and_committees(
    edition, two_entries, staff_user, committee_admin_user, django_capture_on_commit_callbacks
):
    home, away = two_entries
    judged_edition(edition, two_entries, staff_user=staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        published(edition, [home], staff_user=staff_user)

    held = OutboxMessage.objects.filter(template__startswith="showcase.results_")
    assert set(held.values_list("state", flat=True)) == {OutboxMessage.State.HELD}
    assert sorted(held.values_list("template", "to")) == sorted(
        [
            ("showcase.results_student", home.student.user.email),
            ("showcase.results_student", away.student.user.email),
            ("showcase.results_guardian", home.student.guardian_email),
            ("showcase.results_guardian", away.student.guardian_email),
            ("showcase.results_committee", committee_admin_user.email),
        ]
    )
    committee_mail = held.get(template="showcase.results_committee")
    assert "Home river" in committee_mail.body
    assert "Far hills" not in committee_mail.body


def test_publishing_puts_winners_in_the_exhibit_and_makes_certificates(
    edition, two_entries, staff_user, django_capture_on_commit_callbacks
):
    home, away = two_entries
    judged_edition(edition, two_entries, staff_user=staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        published(edition, [home], staff_user=staff_user)

    assert list(ExhibitWork.objects.values_list("entry", "outcome", "place")) == [
        (home.pk, "winner", 1)
    ]
    assert dict(Certificate.objects.values_list("entry", "kind")) == {
        home.pk: "winner",
        away.pk: "participant",
    }


def test_publishing_twice_is_refused(edition, two_entries, staff_user):
    home, _away = two_entries
    judged_edition(edition, two_entries, staff_user=staff_user)
    published(edition, [home], staff_user=staff_user)

    with pytest.raises(ValidationError, match="already published"):
        publish_results(edition=edition, by=staff_user)


def test_decisions_cannot_change_after_publishing(edition, two_entries, staff_user):
    home, away = two_entries
    national = judged_edition(edition, two_entries, staff_user=staff_user)
    published(edition, [home], staff_user=staff_user)

    with pytest.raises(ValidationError, match="can no longer change"):
        decide_entry(
            edition=edition,
            item=item_of(away, national),
            outcome="finalist",
            place=None,
            by=staff_user,
        )


def test_only_staff_open_judging_or_publish(edition, two_entries, committee_admin_user):
    close(edition)

    with pytest.raises(NotAllowed):
        open_judging(edition=edition, by=committee_admin_user)
    with pytest.raises(NotAllowed):
        publish_results(edition=edition, by=committee_admin_user)
