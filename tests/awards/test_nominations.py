"""Nominations: drafts, the server's deadline, one per committee and category, and a third
party's nomination confirmed by the committee's single-use link."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.awards.conftest import close
from tests.awards.helpers import (
    ARTS,
    SMALL,
    VOLUNTEER,
    category,
    complete,
    eligible_member,
    png,
    submitted,
)
from twinning.awards.models import Nomination
from twinning.awards.services import (
    add_attachment,
    confirm_nomination,
    start_nomination,
    submit_nomination,
    update_nomination,
    withdraw_nomination,
)
from twinning.core.authz import NotAllowed
from twinning.outbox.models import OutboxMessage


def _start(cycle, member, user, slug=SMALL, **extra):
    return start_nomination(
        category=category(cycle, slug),
        member=member,
        community=member.communities.get(),
        title="Books across the river",
        by=user,
        **extra,
    )


@pytest.mark.django_db
def test_a_committee_drafts_completes_and_submits_its_nomination(
    cycle, springfield_member, eligible, committee_admin_user
):
    draft = _start(cycle, springfield_member, committee_admin_user)
    questions = draft.category.question_list()

    update_nomination(
        nomination=draft,
        title="Books across the river",
        story="A shared library.",
        answers=dict.fromkeys(questions, "Yes."),
        partner=eligible,
        website="https://example.org/books",
        by=committee_admin_user,
    )
    done = submit_nomination(nomination=draft, by=committee_admin_user)

    assert (done.state, done.partner, done.third_party) == (
        Nomination.State.SUBMITTED,
        eligible,
        False,
    )
    assert done.answers == dict.fromkeys(questions, "Yes.")


@pytest.mark.django_db
def test_submitting_lists_what_is_missing_and_changes_nothing(
    cycle, springfield_member, eligible, committee_admin_user
):
    draft = _start(cycle, springfield_member, committee_admin_user)

    with pytest.raises(ValidationError) as caught:
        submit_nomination(nomination=draft, by=committee_admin_user)

    assert caught.value.messages[0] == "Tell the story of the nomination."
    assert len(caught.value.messages) == 1 + len(draft.category.question_list())
    draft.refresh_from_db()
    assert draft.state == Nomination.State.DRAFT


@pytest.mark.django_db
def test_the_deadline_is_the_servers(cycle, springfield_member, eligible, committee_admin_user):
    draft = complete(_start(cycle, springfield_member, committee_admin_user))

    with time_machine.travel(cycle.closes_at + datetime.timedelta(seconds=1)):
        with pytest.raises(
            ValidationError, match="The deadline for the Annual Awards 2027 has passed"
        ):
            submit_nomination(nomination=draft, by=committee_admin_user)
        with pytest.raises(ValidationError, match="has passed"):
            _start(cycle, springfield_member, committee_admin_user, slug=ARTS)

    draft.refresh_from_db()
    assert draft.state == Nomination.State.DRAFT


@pytest.mark.django_db
def test_one_nomination_per_committee_and_category(
    cycle, springfield_member, eligible, committee_admin_user
):
    first = _start(cycle, springfield_member, committee_admin_user)

    with pytest.raises(ValidationError, match="already has a nomination in this category"):
        _start(cycle, springfield_member, committee_admin_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(
            category=first.category,
            member=springfield_member,
            community=first.community,
            title="Again",
        )

    withdraw_nomination(nomination=first, by=committee_admin_user)
    again = _start(cycle, springfield_member, committee_admin_user)
    assert again.state == Nomination.State.DRAFT


@pytest.mark.django_db
def test_an_ineligible_committee_cannot_start(cycle, springfield_member, committee_admin_user):
    with pytest.raises(ValidationError) as caught:
        _start(cycle, springfield_member, committee_admin_user)

    assert any("partnership" in text for text in caught.value.messages)
    assert not Nomination.objects.exists()


@pytest.mark.django_db
def test_another_committee_may_not_nominate_a_program(
    cycle, springfield_member, eligible, other_committee_admin_user, public_user
):
    with pytest.raises(NotAllowed):
        _start(cycle, springfield_member, other_committee_admin_user, slug=ARTS, nominator="X")
    with pytest.raises(NotAllowed):
        _start(
            cycle,
            springfield_member,
            public_user,
            slug=VOLUNTEER,
            nominee_name="Ana",
            nominator="Me",
        )


def _third_party(cycle, springfield_member, other_committee_admin_user):
    draft = _start(
        cycle,
        springfield_member,
        other_committee_admin_user,
        slug=VOLUNTEER,
        nominee_name="Ana Volunteer",
        nominator="Shelbyville Twinning Association",
    )
    complete(draft)
    return submit_nomination(nomination=draft, by=other_committee_admin_user)


def _link(message: OutboxMessage) -> str:
    live = next(iter(message.secret_links.values()))
    return re.search(r"/awards/confirm/([^/]+)/", live).group(1)


@pytest.mark.django_db
def test_a_third_partys_nomination_counts_once_the_committee_confirms_by_its_link(
    cycle, springfield_member, eligible, committee_admin_user, other_committee_admin_user
):
    waiting = _third_party(cycle, springfield_member, other_committee_admin_user)
    message = OutboxMessage.objects.get(template="awards.confirm_request")
    token = _link(message)

    assert waiting.state == Nomination.State.AWAITING
    assert message.to == committee_admin_user.email
    assert token not in message.body  # staff read the outbox: the live link is redacted
    assert waiting.confirm_token_hash != token

    confirmed = confirm_nomination(token=token)

    assert confirmed.state == Nomination.State.SUBMITTED
    assert list(Nomination.objects.counting()) == [confirmed]


@pytest.mark.django_db
def test_a_confirmation_link_works_once(
    cycle, springfield_member, eligible, committee_admin_user, other_committee_admin_user
):
    _third_party(cycle, springfield_member, other_committee_admin_user)
    token = _link(OutboxMessage.objects.get(template="awards.confirm_request"))
    confirm_nomination(token=token)

    with pytest.raises(ValidationError, match="This link has been used"):
        confirm_nomination(token=token)


@pytest.mark.django_db
def test_a_confirmation_link_expires(
    cycle, springfield_member, eligible, committee_admin_user, other_committee_admin_user
):
    waiting = _third_party(cycle, springfield_member, other_committee_admin_user)
    token = _link(OutboxMessage.objects.get(template="awards.confirm_request"))

    later = waiting.confirm_expires_at + datetime.timedelta(seconds=1)
    with time_machine.travel(later), pytest.raises(ValidationError, match="This link has expired"):
        confirm_nomination(token=token)

    waiting.refresh_from_db()
    assert waiting.state == Nomination.State.AWAITING
    with pytest.raises(ValidationError, match="not valid"):
        confirm_nomination(token="forged")


@pytest.mark.django_db
def test_photos_go_through_the_upload_pipeline(
    cycle, springfield_member, eligible, committee_admin_user
):
    draft = _start(cycle, springfield_member, committee_admin_user)

    photo = add_attachment(nomination=draft, upload=png("our team.png"), by=committee_admin_user)
    with pytest.raises(ValidationError, match=r"upload|accepted|recognis"):
        add_attachment(
            nomination=draft,
            upload=_html(),
            by=committee_admin_user,
        )

    assert (photo.kind, photo.display_name, photo.mime) == ("image", "our team.png", "image/webp")
    assert photo.thumb_name.startswith("awards/")


def _html():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("evil.png", b"<html><script>alert(1)</script></html>", "image/png")


@pytest.mark.django_db
def test_a_submitted_nomination_no_longer_changes(
    cycle, springfield_member, eligible, committee_admin_user
):
    done = submitted(category(cycle, SMALL), springfield_member, by=committee_admin_user)

    with pytest.raises(ValidationError, match="Only a draft"):
        update_nomination(
            nomination=done, title="New", story="", answers={}, by=committee_admin_user
        )


@pytest.mark.django_db
def test_the_awards_call_is_on_the_committee_dashboard(cycle, springfield_member):
    from twinning.members.calls import open_calls_for

    calls = [
        c for c in open_calls_for(springfield_member, timezone.localdate()) if c.program == "Awards"
    ]

    assert [(c.title, c.url) for c in calls] == [
        (
            "Annual Awards 2027: nominate your program or a volunteer",
            f"/awards/portal/{springfield_member.slug}/",
        )
    ]


@pytest.mark.django_db
def test_eligible_member_helper_makes_a_committee_that_may_nominate(cycle):
    member = eligible_member()

    assert submitted(category(cycle, SMALL), member).state == Nomination.State.SUBMITTED
    assert close(cycle).has_closed()


@pytest.mark.django_db
def test_a_third_party_cannot_submit_for_a_committee_nobody_can_confirm(
    cycle, springfield_member, eligible, other_committee_admin_user
):
    with pytest.raises(ValidationError, match="no admin"):
        _third_party(cycle, springfield_member, other_committee_admin_user)


@pytest.mark.django_db
def test_the_remove_button_of_an_attachment_carries_its_csrf_token(
    cycle, springfield_member, eligible, committee_admin_user
):
    """`_attachments.html` is included with `only`, which drops the context processor's token:
    a browser's "Remove" got a 403 (the test client skips the check)."""
    from django.test import Client

    draft = _start(cycle, springfield_member, committee_admin_user)
    add_attachment(nomination=draft, upload=png("our team.png"), by=committee_admin_user)
    browser_like = Client(enforce_csrf_checks=True)
    browser_like.force_login(committee_admin_user)

    page = browser_like.get(f"/awards/nominations/{draft.pk}/").content.decode()

    (remove,) = re.findall(r"<form[^>]*/remove/.*?</form>", page, flags=re.S)
    assert 'name="csrfmiddlewaretoken"' in remove
