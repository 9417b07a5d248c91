"""The review engine's e-mails, registered with the outbox (imported in AppConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template

register_template(
    "review.reviewer_invitation",
    subject=_("You are invited to judge: {{ round_name }}"),
    body=_(
        "Hello,\n\n"
        "{{ association_name }} invites you to join the judges of “{{ round_name }}”.\n\n"
        "To accept, sign in (or create an account) and open this link before {{ expires }}:\n"
        "{{ site_url }}{{ invite_url }}\n\n"
        "The link works once and only for you. If you did not expect this invitation, "
        "ignore this message.\n"
    ),
    description=_("To a person invited to a review round's pool of judges."),
    placeholders=("round_name", "invite_url", "expires"),
    secret_links=("invite_url",),
)
