"""The showcase's student-side services: editions, registration, consent (AUTH-11, PRIV-3, PRIV-4)
and entries (deadline, limits, media, derivatives)."""

import datetime
import hashlib
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.outbox.delivery import delivered_body
from tests.showcase.conftest import consent_for, make_edition, make_student, years_ago
from tests.showcase.judging_helpers import close
from tests.showcase.media import pdf_bytes, png_bytes, upload, wav_bytes
from twinning.core.media import private_storage
from twinning.outbox.models import OutboxMessage
from twinning.showcase.models import Entry, EntryFile
from twinning.showcase.services import (
    ConsentLinkExpired,
    ConsentLinkInvalid,
    ConsentLinkUsed,
    answer_consent,
    approve_entry,
    attach_work,
    create_entry,
    open_consent_link,
    request_guardian_consent,
    submit_entry,
    update_entry,
    withdraw_consent,
    withdraw_entry,
)
from twinning.youth.models import Consent, Person
from twinning.youth.services import hash_token


def _entry(student, edition, slug="photography", **kwargs):
    kwargs.setdefault("title", "Bridges at dusk")
    kwargs.setdefault("alt_text", "A bridge in orange light")
    return create_entry(
        student=student, category=edition.categories.get(slug=slug), by=student.user, **kwargs
    )


def _ready_image_entry(student, edition, django_capture_on_commit_callbacks):
    entry = _entry(student, edition)
    with django_capture_on_commit_callbacks(execute=True):
        attach_work(entry=entry, upload=upload(png_bytes(), "photo.png"), by=student.user)
    return Entry.objects.get(pk=entry.pk)


# --- Editions ------------------------------------------------------------------------------


def test_create_edition_makes_the_six_default_categories_with_limits_and_prizes(edition):
    categories = {c.slug: c for c in edition.categories.all()}

    assert list(categories) == ["art", "digital-art", "photography", "poetry", "prose", "music"]
    assert categories["poetry"].max_lines == 40
    assert categories["prose"].max_words == 2500
    assert categories["music"].max_seconds == 300
    assert categories["art"].prizes == [Decimal("1000"), Decimal("250"), Decimal("100")]
    assert (edition.age_min, edition.age_max, edition.retention_months) == (13, 18, 12)


def test_create_edition_refuses_closing_before_opening(db, good_standing):
    with pytest.raises(ValidationError) as error:
        make_edition(opens_in_days=5, closes_in_days=1)

    assert "closing time must come after" in str(error.value)


# --- Registration and consent ------------------------------------------------------------------


def test_registering_a_minor_sends_the_guardian_a_single_use_link(edition, springfield):
    student = make_student(edition, springfield, guardian_email="mum@example.net")

    consent = student.consents.get()
    body = delivered_body(OutboxMessage.objects.get(to="mum@example.net"))
    token = body.split("/showcase/consent/")[1].split("/")[0]
    assert consent.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert len(token) >= 43  # 32 random bytes, >= 128 bits (AUTH-11)
    lifetime = consent.token_expires_at - consent.created_at
    assert abs(lifetime - datetime.timedelta(days=7)) < datetime.timedelta(seconds=1)
    assert consent.answer("participation").granted_at is None


def test_registering_refuses_the_students_own_address_as_guardian(edition, springfield):
    with pytest.raises(ValidationError) as error:
        make_student(edition, springfield, email="me@example.org", guardian_email="ME@example.org")

    assert "must be their own" in str(error.value)
    assert Person.objects.count() == 0


def test_registering_an_ineligible_community_stores_nothing(edition):
    from tests.factories import CommunityFactory

    with pytest.raises(ValidationError):
        make_student(edition, CommunityFactory(name="Faraway"))

    assert Person.objects.count() == 0


def test_registering_an_adult_records_their_own_consent(edition, springfield):
    student = make_student(edition, springfield, age=18, publication_consent=True)

    consent = student.consents.get()
    assert consent.verified_by == Consent.Verification.ADULT_SIGNED_IN
    assert consent.scopes == ["participation", "publication"]
    assert student.guardian_email == ""


def test_consent_link_opens_any_number_of_times_until_answered(edition, springfield):
    student = make_student(edition, springfield)
    consent = student.consents.get()
    Consent.objects.filter(pk=consent.pk).update(token_hash=hash_token("tok"))

    opened = [open_consent_link(token="tok").pk for _ in range(3)]
    answer_consent(token="tok", participation=True, publication=False)

    assert opened == [consent.pk] * 3
    with pytest.raises(ConsentLinkUsed):
        open_consent_link(token="tok")


def test_no_student_registers_after_entries_close(edition, springfield):
    close(edition)

    with pytest.raises(ValidationError) as error:
        make_student(edition, springfield)

    assert f"Entries to the {edition.year} showcase closed on" in error.value.messages[0]
    assert Person.objects.count() == 0


def test_no_guardian_consent_is_asked_after_entries_close(edition, springfield):
    student = make_student(edition, springfield)
    close(edition)
    messages_before = OutboxMessage.objects.count()

    with pytest.raises(ValidationError) as error:
        request_guardian_consent(student=student, by=student.user)

    assert "No showcase edition is accepting entries now" in error.value.messages[0]
    assert student.consents.count() == 1
    assert OutboxMessage.objects.count() == messages_before


def test_consent_link_expires_after_seven_days(edition, springfield):
    student = make_student(edition, springfield)
    Consent.objects.filter(person=student).update(token_hash=hash_token("tok"))

    later = timezone.now() + datetime.timedelta(days=7, seconds=1)
    with time_machine.travel(later), pytest.raises(ConsentLinkExpired):
        open_consent_link(token="tok")


def test_a_new_link_makes_the_earlier_one_useless(edition, springfield):
    student = make_student(edition, springfield)
    Consent.objects.filter(person=student).update(token_hash=hash_token("old"))

    request_guardian_consent(student=student, by=student.user)

    with pytest.raises(ConsentLinkInvalid):
        open_consent_link(token="old")


def test_answered_consent_records_email_time_notice_hash_scopes_and_verification(
    edition, springfield
):
    student = make_student(edition, springfield, guardian_email="dad@example.net")

    consent = consent_for(student, participation=True, publication=False)

    assert consent.email == "dad@example.net"
    assert consent.responded_at is not None
    assert len(consent.notice_hash) == 64
    assert consent.notice_version
    assert consent.scopes == ["participation"]
    assert consent.verified_by == Consent.Verification.GUARDIAN_EMAIL_LINK


def test_publication_without_participation_is_refused(edition, springfield):
    student = make_student(edition, springfield)

    with pytest.raises(ValidationError):
        consent_for(student, participation=False, publication=True)


def test_answering_twice_is_refused(student):
    consent = student.consents.get(verified_by="guardian_email_link")
    token = f"test-token-{consent.pk}"  # set by consent_for when it answered

    with pytest.raises(ConsentLinkUsed):
        answer_consent(token=token, participation=True, publication=True)


# --- Entries -----------------------------------------------------------------------------------


def test_create_entry_starts_a_draft(student, edition):
    entry = _entry(student, edition)

    assert entry.state == Entry.State.DRAFT
    assert entry.minor_at_cutoff
    assert entry.media_status == Entry.MediaStatus.MISSING


def test_create_entry_refuses_more_than_the_limit_per_category(student, edition):
    _entry(student, edition)

    with pytest.raises(ValidationError) as error:
        _entry(student, edition, title="Second")

    assert "the most allowed" in str(error.value)
    assert Entry.objects.count() == 1


def test_withdrawn_entry_frees_its_place_in_the_category(student, edition):
    withdraw_entry(entry=_entry(student, edition), by=student.user)

    second = _entry(student, edition, title="Second")

    assert second.state == Entry.State.DRAFT


def test_create_entry_refuses_another_students_profile(student, other_student, edition):
    from twinning.core.authz import NotAllowed

    with pytest.raises(NotAllowed):
        create_entry(
            student=student,
            category=edition.categories.get(slug="art"),
            title="x",
            by=other_student.user,
        )


def test_submit_after_the_deadline_is_refused_by_the_server(
    student, edition, django_capture_on_commit_callbacks
):
    entry = _ready_image_entry(student, edition, django_capture_on_commit_callbacks)

    late = edition.closes_at + datetime.timedelta(seconds=1)
    with time_machine.travel(late), pytest.raises(ValidationError) as error:
        submit_entry(entry=entry, by=student.user)

    assert "deadline has passed" in str(error.value)
    assert Entry.objects.get(pk=entry.pk).state == Entry.State.DRAFT


def test_submit_a_second_before_the_deadline_is_accepted(
    student, edition, django_capture_on_commit_callbacks
):
    entry = _ready_image_entry(student, edition, django_capture_on_commit_callbacks)

    with time_machine.travel(edition.closes_at - datetime.timedelta(seconds=1)):
        submit_entry(entry=entry, by=student.user)

    assert Entry.objects.get(pk=entry.pk).state == Entry.State.SUBMITTED


def test_editing_after_the_deadline_is_refused(student, edition):
    entry = _entry(student, edition)

    late = edition.closes_at + datetime.timedelta(minutes=1)
    with time_machine.travel(late), pytest.raises(ValidationError):
        update_entry(entry=entry, title="Late change", by=student.user)

    assert Entry.objects.get(pk=entry.pk).title == "Bridges at dusk"


def test_submit_without_the_work_is_refused(student, edition):
    entry = _entry(student, edition)

    with pytest.raises(ValidationError) as error:
        submit_entry(entry=entry, by=student.user)

    assert "Add the work itself" in str(error.value)


def test_submit_an_image_without_alt_text_is_refused(
    student, edition, django_capture_on_commit_callbacks
):
    entry = _ready_image_entry(student, edition, django_capture_on_commit_callbacks)
    Entry.objects.filter(pk=entry.pk).update(alt_text="")

    with pytest.raises(ValidationError) as error:
        submit_entry(entry=Entry.objects.get(pk=entry.pk), by=student.user)

    assert "Describe the image" in str(error.value)


def test_a_poem_over_forty_lines_is_refused(student, edition):
    poem = "\n".join(f"line {n}" for n in range(41))

    with pytest.raises(ValidationError) as error:
        _entry(student, edition, slug="poetry", text=poem)

    assert "at most 40 lines" in str(error.value)


def test_prose_over_the_word_limit_is_refused(student, edition):
    with pytest.raises(ValidationError) as error:
        _entry(student, edition, slug="prose", text="word " * 2501)

    assert "at most 2500 words" in str(error.value)


def test_typed_poem_is_ready_at_once_and_normalised(student, edition):
    entry = _entry(student, edition, slug="poetry", text="Cafe\u0301\x07 by the river\n")

    assert entry.text == "Café by the river"
    assert entry.media_status == Entry.MediaStatus.READY


def test_attaching_an_image_keeps_the_original_private_and_makes_derivatives(
    student, edition, django_capture_on_commit_callbacks
):
    entry = _ready_image_entry(student, edition, django_capture_on_commit_callbacks)

    work_file = EntryFile.objects.get(entry=entry)
    assert entry.media_status == Entry.MediaStatus.READY
    assert (work_file.original_mime, work_file.width, work_file.height) == ("image/png", 64, 48)
    assert work_file.derivative_mime == "image/webp"
    assert private_storage.exists(work_file.original_name)
    assert private_storage.exists(work_file.derivative_name)
    assert private_storage.exists(work_file.thumb_name)
    assert "photo" not in work_file.original_name


def test_derivative_of_a_photo_with_gps_has_no_gps_or_artist(
    student, edition, django_capture_on_commit_callbacks
):
    from PIL import Image

    entry = _entry(student, edition)
    with django_capture_on_commit_callbacks(execute=True):
        attach_work(entry=entry, upload=upload(png_bytes(gps=True), "gps.jpg"), by=student.user)

    work_file = EntryFile.objects.get(entry=entry)
    with private_storage.open(work_file.derivative_name) as handle:
        derivative = Image.open(handle)
        derivative.load()
        exif = derivative.getexif()
    assert 0x8825 not in exif
    assert 0x013B not in exif
    with private_storage.open(work_file.derivative_name) as handle:
        assert b"Canary Artist" not in handle.read()


def test_attaching_audio_to_music_makes_an_audio_derivative(
    student, edition, django_capture_on_commit_callbacks
):
    entry = _entry(student, edition, slug="music", title="Sine song")
    with django_capture_on_commit_callbacks(execute=True):
        attach_work(entry=entry, upload=upload(wav_bytes(), "song.wav"), by=student.user)

    work_file = EntryFile.objects.get(entry=entry)
    assert Entry.objects.get(pk=entry.pk).media_status == Entry.MediaStatus.READY
    assert work_file.derivative_mime.startswith("audio/")
    assert work_file.seconds == pytest.approx(1.0, abs=0.1)


def test_attaching_a_pdf_to_prose_makes_a_rewritten_pdf(
    student, edition, django_capture_on_commit_callbacks
):
    entry = _entry(student, edition, slug="prose", title="A story")
    with django_capture_on_commit_callbacks(execute=True):
        attach_work(entry=entry, upload=upload(pdf_bytes(), "story.pdf"), by=student.user)

    work_file = EntryFile.objects.get(entry=entry)
    assert work_file.derivative_mime == "application/pdf"
    assert Entry.objects.get(pk=entry.pk).media_status == Entry.MediaStatus.READY


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.jpg", ""),
        (b"", "empty.png", ""),
        (b"GIF89a" + b"\x00" * 40, "anim.png", ""),
    ],
)
def test_a_refused_file_stores_nothing(student, edition, data, name, message):
    entry = _entry(student, edition)

    with pytest.raises(ValidationError) as error:
        attach_work(entry=entry, upload=upload(data, name), by=student.user)

    assert error.value.messages
    assert EntryFile.objects.count() == 0
    assert Entry.objects.get(pk=entry.pk).media_status == Entry.MediaStatus.MISSING


def test_audio_is_refused_in_a_photography_entry(student, edition):
    entry = _entry(student, edition)

    with pytest.raises(ValidationError):
        attach_work(entry=entry, upload=upload(wav_bytes(), "song.wav"), by=student.user)

    assert EntryFile.objects.count() == 0


def test_replacing_the_file_deletes_the_earlier_files(
    student, edition, django_capture_on_commit_callbacks
):
    entry = _ready_image_entry(student, edition, django_capture_on_commit_callbacks)
    old = EntryFile.objects.get(entry=entry).storage_names()

    with django_capture_on_commit_callbacks(execute=True):
        attach_work(entry=entry, upload=upload(png_bytes(32, 32), "new.png"), by=student.user)

    assert not any(private_storage.exists(name) for name in old)
    assert EntryFile.objects.get(entry=entry).width == 32


# --- Judging and publication gates (PRIV-3, PRIV-20) ------------------------------------------


def test_entry_is_eligible_for_judging_once_submitted_ready_and_consented(
    student, edition, django_capture_on_commit_callbacks
):
    entry = _ready_image_entry(student, edition, django_capture_on_commit_callbacks)
    submit_entry(entry=entry, by=student.user)

    assert list(Entry.objects.eligible_for_judging()) == [entry]
    assert Entry.objects.get(pk=entry.pk).is_eligible_for_judging()


def test_minors_entry_without_consent_is_not_eligible_for_judging(
    edition, springfield, django_capture_on_commit_callbacks
):
    pending = make_student(edition, springfield)
    entry = _ready_image_entry(pending, edition, django_capture_on_commit_callbacks)
    submit_entry(entry=entry, by=pending.user)

    assert list(Entry.objects.eligible_for_judging()) == []
    assert Entry.objects.get(pk=entry.pk).review_eligibility()[0] is False


def test_entry_still_processing_is_not_eligible_for_judging(student, edition):
    entry = _entry(student, edition)
    attach_work(entry=entry, upload=upload(png_bytes(), "p.png"), by=student.user)  # no commit
    submit_entry(entry=entry, by=student.user)

    assert Entry.objects.get(pk=entry.pk).media_status == Entry.MediaStatus.PROCESSING
    assert list(Entry.objects.eligible_for_judging()) == []


def test_publishable_needs_staff_approval_and_publication_consent(
    student, edition, staff_user, django_capture_on_commit_callbacks
):
    entry = _ready_image_entry(student, edition, django_capture_on_commit_callbacks)
    submit_entry(entry=entry, by=student.user)
    assert not Entry.objects.get(pk=entry.pk).is_publishable()

    approve_entry(entry=entry, by=staff_user)

    assert Entry.objects.get(pk=entry.pk).is_publishable()
    assert list(Entry.objects.publishable()) == [entry]


def test_withdrawing_publication_unpublishes_at_once(
    student, edition, staff_user, django_capture_on_commit_callbacks
):
    entry = _ready_image_entry(student, edition, django_capture_on_commit_callbacks)
    submit_entry(entry=entry, by=student.user)
    approve_entry(entry=entry, by=staff_user)

    withdraw_consent(student=student, scope="publication", by=student.user)

    assert not Entry.objects.get(pk=entry.pk).is_publishable()
    assert list(Entry.objects.publishable()) == []
    assert list(Entry.objects.eligible_for_judging()) == [entry]


def test_withdrawing_participation_stops_judging_and_publication(
    student, edition, django_capture_on_commit_callbacks
):
    entry = _ready_image_entry(student, edition, django_capture_on_commit_callbacks)
    submit_entry(entry=entry, by=student.user)

    withdraw_consent(student=student, scope="participation", by=student.user)

    assert list(Entry.objects.eligible_for_judging()) == []
    assert student.consents.active("showcase", "publication").count() == 0


def test_adult_entry_is_judged_without_a_guardian(
    edition, springfield, django_capture_on_commit_callbacks
):
    adult = make_student(edition, springfield, date_of_birth=years_ago(18, days=1))
    entry = _ready_image_entry(adult, edition, django_capture_on_commit_callbacks)
    submit_entry(entry=entry, by=adult.user)

    assert not entry.minor_at_cutoff
    assert list(Entry.objects.eligible_for_judging()) == [entry]


def test_conflict_keys_name_the_community_its_members_and_the_user(student, edition):
    entry = _entry(student, edition)

    keys = entry.conflict_keys()

    member = student.community.members.get()
    assert keys == {
        f"community:{student.community_id}",
        f"member:{member.pk}",
        f"user:{student.user_id}",
    }


def test_review_work_holds_nothing_that_identifies_the_student(
    student, edition, django_capture_on_commit_callbacks
):
    entry = _ready_image_entry(student, edition, django_capture_on_commit_callbacks)

    work = entry.review_work()

    flat = repr(work.context)
    for canary in ("Lovelace", "Ada", "Springfield", "Canary High", "photo.png"):
        assert canary not in flat
