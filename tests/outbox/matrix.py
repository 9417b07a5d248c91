"""C1 rows of the outbox: staff pages under /staff/outbox/ and the public unsubscribe link."""

from django.utils.translation import gettext_lazy as _

from tests.matrix import EVERYONE, STAFF_ACTION, STAFF_PAGE

MATRIX_TEMPLATE = "outbox_matrix.example"

MATRIX = {
    "outbox:staff_message_list": ("/staff/outbox/?state=held", STAFF_PAGE),
    "outbox:staff_message_bulk": ("/staff/outbox/bulk/", STAFF_ACTION),
    "outbox:staff_message_detail": ("/staff/outbox/{outbox_message}/", STAFF_PAGE),
    "outbox:staff_message_release": ("/staff/outbox/{outbox_message}/send/", STAFF_ACTION),
    "outbox:staff_message_discard": ("/staff/outbox/{outbox_message}/discard/", STAFF_ACTION),
    "outbox:staff_template_list": ("/staff/outbox/templates/", STAFF_PAGE),
    "outbox:staff_template_edit": (f"/staff/outbox/templates/{MATRIX_TEMPLATE}/fr/", STAFF_PAGE),
    "outbox:unsubscribe": ("/unsubscribe/{outbox_token}/", EVERYONE),
}


def build_world(base: dict) -> dict:
    from twinning.outbox.registry import register_template
    from twinning.outbox.services import queue_email, unsubscribe_token

    register_template(
        MATRIX_TEMPLATE,
        subject=_("Hello {{ name }}"),
        body=_("News for {{ name }}."),
        description=_("Example e-mail of the route matrix"),
        placeholders=["name"],
        transactional=False,
    )
    message = queue_email(
        to="reader@example.org", template=MATRIX_TEMPLATE, context={"name": "Ada"}, hold=True
    )
    return {"outbox_message": message.pk, "outbox_token": unsubscribe_token(message)}
