"""The registry of e-mails: staff's texts are checked against the placeholders each e-mail
offers and against the small template language e-mails may use."""

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _

from tests.outbox.conftest import REMINDER
from twinning.outbox.registry import (
    get_template_spec,
    register_template,
    registered_templates,
    render_texts,
    unregister_template,
    validate_override,
)


def _errors(**texts):
    with pytest.raises(ValidationError) as caught:
        validate_override(REMINDER, **{"subject": "Hi", "body": "Hello", **texts})
    return caught.value.message_dict


def test_override_with_declared_placeholders_is_accepted():
    validate_override(
        REMINDER,
        subject="{{ member_name|upper }}",
        body="{% if name %}Dear {{ name }}{% endif %} {{ end_date|default:association_name }}",
    )


def test_override_with_unknown_placeholder_is_refused_with_its_name():
    errors = _errors(body="Dear {{ first_name }}")

    assert list(errors) == ["body"]
    assert "first_name" in errors["body"][0]
    assert "member_name" in errors["body"][0]  # the message lists what may be used


def test_unknown_placeholder_in_a_condition_or_filter_argument_is_refused():
    assert "secret" in _errors(subject="{% if secret %}x{% endif %}")["subject"][0]
    assert "other" in _errors(body="{{ name|default:other }}")["body"][0]


def test_loop_variables_are_not_unknown_placeholders():
    validate_override(
        REMINDER,
        subject="Hi",
        body="{% for part in name %}{{ forloop.counter }}{{ part }}{% endfor %}",
    )


def test_invalid_template_syntax_is_refused_with_a_message():
    errors = _errors(body="Dear {% if name %}")

    assert "not a valid template" in errors["body"][0]


def test_tags_other_than_if_and_for_are_refused():
    errors = _errors(body='{% load static %}{% include "base.html" %}')

    assert "load" in errors["body"][0]


def test_unknown_e_mail_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_override("no.such.email", subject="Hi", body="Hello")

    assert list(caught.value.message_dict) == ["key"]


def test_registering_a_default_text_with_unknown_placeholder_fails_at_start_up():
    with pytest.raises(ImproperlyConfigured):
        register_template(
            "outbox_test.broken",
            subject=_("Hi {{ nobody }}"),
            body=_("Hello"),
            description=_("Broken"),
            placeholders=[],
        )

    assert "outbox_test.broken" not in [spec.key for spec in registered_templates()]


def test_render_is_plain_text_subject_on_one_line():
    spec = get_template_spec(REMINDER)

    subject, body = render_texts(
        spec, "Renew\n{{ member_name }}", "{{ name }} & <b>", {"name": "A&B", "member_name": "X"}
    )

    assert subject == "Renew X"
    assert body == "A&B & <b>\n"


def test_unregistered_template_is_forgotten():
    register_template(
        "outbox_test.gone", subject=_("Hi"), body=_("Hello"), description=_("Gone"), placeholders=[]
    )

    unregister_template("outbox_test.gone")

    assert "outbox_test.gone" not in [spec.key for spec in registered_templates()]
