"""The e-mails of the members app, registered with the outbox (imported in AppConfig.ready).
Staff can edit each text per language in the outbox; placeholders are listed here."""

from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template

_DECISION = ("member_name", "person_name", "start", "end", "message", "portal_url")

register_template(
    "members.application_received",
    subject=_("We received the membership application of {{ member_name }}"),
    body=_(
        "Dear {{ person_name }},\n\n"
        "Thank you: {{ association_name }} received the membership application of "
        "{{ member_name }} (for {{ start }} to {{ end }}). Our staff will review it and write "
        "to you with their decision.\n\nYou can follow it on your portal: {{ portal_url }}\n"
    ),
    description=_("To committee admins when their membership application is received."),
    placeholders=_DECISION,
)
register_template(
    "members.application_approved",
    subject=_("Welcome: the membership of {{ member_name }} is approved"),
    body=_(
        "Dear {{ person_name }},\n\n"
        "The membership of {{ member_name }} in {{ association_name }} is approved, from "
        "{{ start }} to {{ end }}.\n{% if message %}\n{{ message }}\n{% endif %}\n"
        "Your invoice and your membership's details are on your portal: {{ portal_url }}\n"
    ),
    description=_("To committee admins when staff approve their membership."),
    placeholders=_DECISION,
)
register_template(
    "members.application_declined",
    subject=_("About the membership application of {{ member_name }}"),
    body=_(
        "Dear {{ person_name }},\n\n"
        "We are sorry: {{ association_name }} cannot accept the membership application of "
        "{{ member_name }} at this time.\n\n{{ message }}\n\n"
        "{% if association_email %}Any question? Write to us at {{ association_email }}.\n"
        "{% endif %}"
        "Your portal: {{ portal_url }}\n"
    ),
    description=_("To committee admins when staff decline their membership application."),
    placeholders=_DECISION,
)
register_template(
    "members.invoice_issued",
    subject=_("{{ document }} {{ number }} from {{ association_name }}"),
    body=_(
        "Dear {{ person_name }},\n\n"
        "{{ association_name }} issued {{ document }} {{ number }} to {{ member_name }} for "
        "{{ total }} {{ currency }}{% if due_on %}, due on {{ due_on }}{% endif %}.\n\n"
        "You can read and download it on your portal: {{ invoice_url }}\n"
    ),
    description=_("To the billing contact when an invoice or a credit note is issued."),
    placeholders=(
        "person_name",
        "member_name",
        "document",
        "number",
        "total",
        "currency",
        "due_on",
        "invoice_url",
    ),
)
register_template(
    "members.renewal_reminder",
    subject=_(
        "{% if in_grace %}The membership of {{ member_name }} has ended{% else %}"
        "The membership of {{ member_name }} ends on {{ end }}{% endif %}"
    ),
    body=_(
        "Dear {{ person_name }},\n\n"
        "{% if in_grace %}The membership of {{ member_name }} in {{ association_name }} ended "
        "on {{ end }}. It stays in grace until {{ grace_end }}; after that date your committee "
        "is no longer in good standing for the association's programs."
        "{% else %}The membership of {{ member_name }} in {{ association_name }} ends on "
        "{{ end }}, in {{ days_left }} days.{% endif %}\n\n"
        "Renew in a few clicks (the form is filled in for you): {{ renew_url }}\n"
    ),
    description=_("To the billing contact: 60, 30 and 7 days before the end, then in grace."),
    placeholders=(
        "person_name",
        "member_name",
        "end",
        "grace_end",
        "days_left",
        "in_grace",
        "renew_url",
    ),
)
register_template(
    "members.coadmin_invitation",
    subject=_(
        "{{ inviter_name }} invites you to help run {{ member_name }} on {{ association_name }}"
    ),
    body=_(
        "Hello,\n\n{{ inviter_name }} invites you to become a co-admin of {{ member_name }} on "
        "{{ association_name }}'s portal, to keep its profile, partnerships and membership up "
        "to date.\n\nAccept within {{ days }} days (the link works once): {{ accept_url }}\n\n"
        "If you do not know {{ inviter_name }}, ignore this e-mail.\n"
    ),
    description=_("To a person a committee admin invites as a co-admin."),
    placeholders=("inviter_name", "member_name", "days", "accept_url"),
    secret_links=("accept_url",),
)
register_template(
    "members.bulk_message",
    subject=_("{{ subject }}"),
    body=_("Dear {{ person_name }},\n\n{{ body }}\n"),
    description=_("A message staff write to a segment of members (not essential mail)."),
    placeholders=("subject", "body", "person_name", "member_name"),
    transactional=False,
)
