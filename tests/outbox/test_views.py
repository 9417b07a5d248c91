"""The outbox's pages: who may open them, the list with its filters and counts, a message's
review (edit, send, discard), bulk sending, staff's texts with a preview, and unsubscribing."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.outbox.conftest import NEWSLETTER, REMINDER, REMINDER_CONTEXT
from twinning.core.models import ActivityLog
from twinning.outbox.models import EmailTemplate, OutboxMessage, Unsubscribe
from twinning.outbox.services import queue_email, unsubscribe_token

pytestmark = pytest.mark.django_db

REFUSED = ["anonymous", "public", "committee_admin", "staff_without_otp"]


def _held(to="ada@example.org", template=REMINDER, context=REMINDER_CONTEXT):
    return queue_email(to=to, template=template, context=context, hold=True)


def _staff_pages(message):
    return [
        reverse("outbox:staff_message_list"),
        reverse("outbox:staff_message_detail", kwargs={"pk": message.pk}),
        reverse("outbox:staff_template_list"),
        reverse("outbox:staff_template_edit", kwargs={"key": REMINDER, "language": "fr"}),
    ]


def _staff_actions(message):
    return [
        reverse("outbox:staff_message_bulk"),
        reverse("outbox:staff_message_release", kwargs={"pk": message.pk}),
        reverse("outbox:staff_message_discard", kwargs={"pk": message.pk}),
        reverse("outbox:staff_message_detail", kwargs={"pk": message.pk}),
        reverse("outbox:staff_template_edit", kwargs={"key": REMINDER, "language": "fr"}),
    ]


# --- Roles -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", REFUSED)
def test_staff_pages_are_refused_to_everyone_but_verified_staff(request, role):
    client = request.getfixturevalue(role)
    message = _held()

    statuses = {url: client.get(url).status_code for url in _staff_pages(message)}

    expected = 404 if role in ("public", "committee_admin") else 302
    assert set(statuses.values()) == {expected}


@pytest.mark.parametrize("role", REFUSED)
def test_staff_actions_by_other_roles_change_nothing(request, role):
    client = request.getfixturevalue(role)
    message = _held()
    data = {
        "action": "release",
        "messages": [message.pk],
        "confirmed": "1",
        "subject": "X",
        "body": "Y",
    }

    statuses = {client.post(url, data).status_code for url in _staff_actions(message)}

    message.refresh_from_db()
    assert statuses <= {302, 404}
    assert (message.state, message.subject) == ("held", "Renew Springfield")
    assert EmailTemplate.objects.count() == 0
    assert mail.outbox == []


def test_staff_sees_every_staff_page(staff):
    message = _held()

    statuses = {url: staff.get(url).status_code for url in _staff_pages(message)}

    assert set(statuses.values()) == {200}


def test_staff_pages_are_not_stored_by_caches(staff):
    response = staff.get(reverse("outbox:staff_message_list"))

    assert "no-store" in response["Cache-Control"]


# --- The list ----------------------------------------------------------------------------------


def test_list_shows_messages_with_counts_per_state(staff, staff_user):
    _held(to="one@example.org")
    _held(to="two@example.org")
    discarded = _held(to="three@example.org")
    OutboxMessage.objects.filter(pk=discarded.pk).update(state="discarded")

    response = staff.get(reverse("outbox:staff_message_list"))

    counts = {value: count for value, _label, count in response.context["counts"]}
    assert (counts["held"], counts["discarded"], counts["sent"]) == (2, 1, 0)
    assert response.context["page"].paginator.count == 3
    assert "one@example.org" in response.content.decode()


def test_list_filters_by_state_and_template(staff):
    _held(to="one@example.org")
    queue_email(to="two@example.org", template=NEWSLETTER, context={"name": "B"}, hold=True)
    discarded = _held(to="three@example.org")
    OutboxMessage.objects.filter(pk=discarded.pk).update(state="discarded")

    by_template = staff.get(reverse("outbox:staff_message_list"), {"template": NEWSLETTER})
    by_state = staff.get(reverse("outbox:staff_message_list"), {"state": "held"})

    assert [m.to for m in by_template.context["page"]] == ["two@example.org"]
    assert sorted(m.to for m in by_state.context["page"]) == ["one@example.org", "two@example.org"]


def test_list_ignores_an_unknown_filter_value(staff):
    _held()

    response = staff.get(reverse("outbox:staff_message_list"), {"state": "nonsense", "page": "x"})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1


def test_list_query_count_does_not_grow_with_messages(staff, django_assert_max_num_queries):
    for n in range(3):
        _held(to=f"p{n}@example.org")
    url = reverse("outbox:staff_message_list")
    staff.get(url)  # session and association warmed up

    with django_assert_max_num_queries(12) as few:
        staff.get(url)
    for n in range(30):
        _held(to=f"q{n}@example.org")
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff.get(url)


# --- A message ---------------------------------------------------------------------------------


def test_staff_edits_a_held_message(staff, staff_user):
    message = _held()

    response = staff.post(
        reverse("outbox:staff_message_detail", kwargs={"pk": message.pk}),
        {"subject": "Please renew", "body": "Dear Ada,\nplease renew."},
    )

    message.refresh_from_db()
    assert response.status_code == 302
    assert (message.subject, message.body) == ("Please renew", "Dear Ada,\nplease renew.")
    assert ActivityLog.objects.filter(action="outbox.message.edited", actor=staff_user).exists()


def test_editing_with_an_empty_body_shows_the_error_and_changes_nothing(staff):
    message = _held()

    response = staff.post(
        reverse("outbox:staff_message_detail", kwargs={"pk": message.pk}),
        {"subject": "Please renew", "body": ""},
    )

    message.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert message.subject == "Renew Springfield"


def test_staff_sends_a_held_message(staff, django_capture_on_commit_callbacks):
    message = _held()

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("outbox:staff_message_release", kwargs={"pk": message.pk}))

    message.refresh_from_db()
    assert message.state == "sent"
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]


def test_sending_a_discarded_message_says_it_cannot(staff):
    message = _held()
    OutboxMessage.objects.filter(pk=message.pk).update(state="discarded")

    response = staff.post(
        reverse("outbox:staff_message_release", kwargs={"pk": message.pk}), follow=True
    )

    assert "can be sent" in response.content.decode()
    assert mail.outbox == []


def test_staff_discards_a_message(staff, staff_user):
    message = _held()

    response = staff.post(
        reverse("outbox:staff_message_discard", kwargs={"pk": message.pk}), follow=True
    )

    message.refresh_from_db()
    assert message.state == "discarded"
    assert "will not be sent" in response.content.decode()
    assert ActivityLog.objects.filter(action="outbox.message.discarded", actor=staff_user).exists()


def test_discarding_twice_says_it_already_was(staff):
    message = _held()
    url = reverse("outbox:staff_message_discard", kwargs={"pk": message.pk})
    staff.post(url)

    response = staff.post(url, follow=True)

    assert "already been sent or discarded" in response.content.decode()


def test_missing_message_is_404(staff):
    assert staff.get(reverse("outbox:staff_message_detail", kwargs={"pk": 999})).status_code == 404


def test_message_detail_shows_the_text_of_a_sent_message(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email(to="a@example.org", template=REMINDER, context=REMINDER_CONTEXT)

    response = staff.get(reverse("outbox:staff_message_detail", kwargs={"pk": message.pk}))

    assert "Hello Ada," in response.content.decode()
    assert response.context["message"].state == "sent"


# --- Bulk --------------------------------------------------------------------------------------


def test_bulk_release_sends_the_selected_held_messages(staff, django_capture_on_commit_callbacks):
    chosen = [_held(to="one@example.org"), _held(to="two@example.org")]
    other = _held(to="three@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("outbox:staff_message_bulk"),
            {"action": "release", "messages": [m.pk for m in chosen], "confirmed": "1"},
            follow=True,
        )

    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.org", "two@example.org"]
    assert OutboxMessage.objects.get(pk=other.pk).state == "held"
    assert "2 message(s) queued" in response.content.decode()


def test_bulk_discard(staff):
    chosen = [_held(to="one@example.org"), _held(to="two@example.org")]

    staff.post(
        reverse("outbox:staff_message_bulk"),
        {"action": "discard", "messages": [m.pk for m in chosen], "confirmed": "1"},
    )

    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"discarded"}


def test_bulk_without_selection_explains_and_changes_nothing(staff):
    _held()

    response = staff.post(reverse("outbox:staff_message_bulk"), {"action": "release"}, follow=True)

    assert "Select at least one message." in response.content.decode()
    assert OutboxMessage.objects.get().state == "held"


def test_bulk_release_first_asks_to_confirm_with_the_count(staff):
    chosen = [_held(to="one@example.org"), _held(to="two@example.org")]

    response = staff.post(
        reverse("outbox:staff_message_bulk"),
        {"action": "release", "messages": [m.pk for m in chosen]},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Send 2 messages?" in html
    assert "Yes, send 2 messages" in html
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"held"}
    assert not ActivityLog.objects.filter(action="outbox.message.released").exists()


def _confirm(staff, data):
    """Post a bulk action, then confirm exactly what the confirmation page posts."""
    page = staff.post(reverse("outbox:staff_message_bulk"), data)
    upto = page.context["upto"]
    return page, staff.post(
        reverse("outbox:staff_message_bulk"), {**data, "upto": upto, "confirmed": "1"}, follow=True
    )


def test_bulk_release_of_everything_matching_the_filter(staff, django_capture_on_commit_callbacks):
    reminders = [_held(to=f"r{i}@example.org") for i in range(3)]
    newsletter = _held(to="n@example.org", template=NEWSLETTER, context={"name": "N"})
    sent_already = _held(to="s@example.org")
    OutboxMessage.objects.filter(pk=sent_already.pk).update(state="discarded")

    with django_capture_on_commit_callbacks(execute=True):
        page, done = _confirm(
            staff, {"action": "release", "scope": "filter", "template": REMINDER, "state": ""}
        )

    assert "Send 3 messages?" in page.content.decode()
    assert "3 message(s) queued for sending." in done.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.to for m in reminders)
    assert OutboxMessage.objects.get(pk=newsletter.pk).state == "held"
    assert OutboxMessage.objects.get(pk=sent_already.pk).state == "discarded"


def test_bulk_release_by_template_from_the_held_summary(staff):
    _held(to="r@example.org")
    _held(to="n@example.org", template=NEWSLETTER, context={"name": "N"})

    listing = staff.get(reverse("outbox:staff_message_list")).content.decode()
    page, _done = _confirm(
        staff, {"action": "release", "scope": "filter", "template": NEWSLETTER, "state": "held"}
    )

    assert "Held for review, by e-mail" in listing
    assert "Send 1 message?" in page.content.decode()
    assert dict(OutboxMessage.objects.values_list("to", "state")) == {
        "r@example.org": "held",
        "n@example.org": "queued",
    }


def test_bulk_release_leaves_out_messages_held_after_the_confirmation_page(staff):
    _held(to="early@example.org")
    data = {"action": "release", "scope": "filter", "template": REMINDER, "state": "held"}
    page = staff.post(reverse("outbox:staff_message_bulk"), data)
    _held(to="late@example.org")

    staff.post(
        reverse("outbox:staff_message_bulk"),
        {**data, "upto": page.context["upto"], "confirmed": "1"},
    )

    assert dict(OutboxMessage.objects.values_list("to", "state")) == {
        "early@example.org": "queued",
        "late@example.org": "held",
    }


def test_bulk_release_is_audited_once_per_message_and_again_changes_nothing(staff, staff_user):
    chosen = [_held(to="one@example.org"), _held(to="two@example.org")]
    data = {"action": "release", "messages": [m.pk for m in chosen], "confirmed": "1"}

    staff.post(reverse("outbox:staff_message_bulk"), data)
    again = staff.post(reverse("outbox:staff_message_bulk"), data, follow=True)

    entries = ActivityLog.objects.filter(action="outbox.message.released")
    assert sorted(int(e.object_id) for e in entries) == sorted(m.pk for m in chosen)
    assert {e.actor for e in entries} == {staff_user}
    assert "0 message(s) queued for sending." in again.content.decode()


def test_bulk_confirmation_with_nothing_to_release_says_so(staff):
    message = _held()
    OutboxMessage.objects.filter(pk=message.pk).update(state="discarded")

    page = staff.post(
        reverse("outbox:staff_message_bulk"),
        {"action": "release", "scope": "filter", "template": "", "state": ""},
    )

    assert "there is nothing to do" in page.content.decode()


@pytest.mark.parametrize("item_count", [1, 3])
def test_bulk_release_takes_the_same_queries_whatever_the_count(
    staff, item_count, django_assert_num_queries
):
    for i in range(item_count):
        _held(to=f"m{i}@example.org")
    data = {"action": "release", "scope": "filter", "template": REMINDER, "confirmed": "1"}

    with django_assert_num_queries(8):
        staff.post(reverse("outbox:staff_message_bulk"), data)

    assert OutboxMessage.objects.filter(state="queued").count() == item_count


def test_bulk_services_refuse_an_actor_who_is_not_verified_staff(committee_admin_user):
    from twinning.core.authz import NotAllowed
    from twinning.outbox.services import discard_messages, release_messages

    message = _held()

    for service in (release_messages, discard_messages):
        with pytest.raises(NotAllowed):
            service(messages=[message], by=committee_admin_user)

    assert OutboxMessage.objects.get(pk=message.pk).state == "held"


def test_bulk_with_a_bad_id_is_refused_without_error(staff):
    response = staff.post(
        reverse("outbox:staff_message_bulk"), {"action": "release", "messages": ["x"]}
    )

    assert response.status_code == 302


# --- Texts -------------------------------------------------------------------------------------


def test_template_list_shows_registered_emails_and_overrides(staff, staff_user):
    EmailTemplate.objects.create(key=REMINDER, language="fr", subject="S", body="B")

    response = staff.get(reverse("outbox:staff_template_list"))

    rows = {row["spec"].key: row["languages"] for row in response.context["rows"]}
    assert ("fr", "French", True) in [(c, str(n), o) for c, n, o in rows[REMINDER]]
    assert ("en", "English", False) in [(c, str(n), o) for c, n, o in rows[REMINDER]]
    assert "Membership renewal reminder (test)" in response.content.decode()


def test_template_edit_starts_from_the_default_text(staff):
    response = staff.get(
        reverse("outbox:staff_template_edit", kwargs={"key": REMINDER, "language": "fr"})
    )

    assert response.context["form"].initial["subject"] == "Renew {{ member_name }}"
    assert "member_name" in response.context["placeholders"]


def test_staff_saves_a_french_text(staff, staff_user):
    url = reverse("outbox:staff_template_edit", kwargs={"key": REMINDER, "language": "fr"})

    response = staff.post(
        url, {"action": "save", "subject": "Renouvelez", "body": "Bonjour {{ name }}"}
    )

    assert response.status_code == 302
    saved = EmailTemplate.objects.get()
    assert (saved.key, saved.language, saved.body, saved.updated_by) == (
        REMINDER,
        "fr",
        "Bonjour {{ name }}",
        staff_user,
    )


def test_text_with_unknown_placeholder_is_refused_with_a_message(staff):
    url = reverse("outbox:staff_template_edit", kwargs={"key": REMINDER, "language": "fr"})

    response = staff.post(url, {"action": "save", "subject": "Hi", "body": "Dear {{ iban }}"})

    assert response.status_code == 200
    assert "iban" in response.context["form"].errors["body"][0]
    assert EmailTemplate.objects.count() == 0


def test_text_with_invalid_syntax_is_refused_with_a_message(staff):
    url = reverse("outbox:staff_template_edit", kwargs={"key": REMINDER, "language": "fr"})

    response = staff.post(url, {"action": "save", "subject": "{% if %}", "body": "Hi"})

    assert "not a valid template" in response.context["form"].errors["subject"][0]
    assert EmailTemplate.objects.count() == 0


def test_preview_renders_sample_placeholders_without_saving(staff):
    url = reverse("outbox:staff_template_edit", kwargs={"key": REMINDER, "language": "fr"})

    response = staff.post(
        url,
        {
            "action": "preview",
            "subject": "Renouvelez {{ member_name }}",
            "body": "Bonjour {{ name }}",
        },
    )

    assert response.context["preview"] == ("Renouvelez [member_name]", "Bonjour [name]\n")
    assert EmailTemplate.objects.count() == 0


def test_reset_brings_back_the_standard_text(staff):
    EmailTemplate.objects.create(key=REMINDER, language="fr", subject="S", body="B")
    url = reverse("outbox:staff_template_edit", kwargs={"key": REMINDER, "language": "fr"})

    staff.post(url, {"action": "reset"})

    assert EmailTemplate.objects.count() == 0
    assert ActivityLog.objects.filter(action="outbox.template.reset").exists()


@pytest.mark.parametrize(("key", "language"), [("no.such", "fr"), (REMINDER, "xx")])
def test_unknown_template_or_language_is_404(staff, key, language):
    url = reverse("outbox:staff_template_edit", kwargs={"key": key, "language": language})

    assert staff.get(url).status_code == 404


# --- Unsubscribing -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "public", "staff"])
def test_unsubscribe_link_asks_to_confirm_and_changes_nothing_on_get(request, role):
    client = request.getfixturevalue(role)
    message = _held(to="bob@example.org", template=NEWSLETTER, context={"name": "Bob"})

    response = client.get(
        reverse("outbox:unsubscribe", kwargs={"token": unsubscribe_token(message)})
    )

    assert response.status_code == 200
    assert "b•••@example.org" in response.content.decode()
    assert "bob@example.org" not in response.content.decode()
    assert Unsubscribe.objects.count() == 0


def test_confirming_unsubscribes_the_address(anonymous):
    message = _held(to="bob@example.org", template=NEWSLETTER, context={"name": "Bob"})
    url = reverse("outbox:unsubscribe", kwargs={"token": unsubscribe_token(message)})

    response = anonymous.post(url)

    assert "will receive no more" in response.content.decode()
    assert list(Unsubscribe.objects.values_list("email", flat=True)) == ["bob@example.org"]


def test_forged_unsubscribe_link_is_404_with_a_message(anonymous):
    response = anonymous.post(reverse("outbox:unsubscribe", kwargs={"token": "1:forged"}))

    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert Unsubscribe.objects.count() == 0


def test_editing_a_sent_message_is_refused_with_a_message(
    staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email(to="a@example.org", template=REMINDER, context=REMINDER_CONTEXT)

    response = staff.post(
        reverse("outbox:staff_message_detail", kwargs={"pk": message.pk}),
        {"subject": "Changed", "body": "Changed"},
    )

    message.refresh_from_db()
    assert "Only a message held for review or failed can be edited." in response.content.decode()
    assert message.subject == "Renew Springfield"
