"""The showcase's results e-mails (to students, guardians and committees), declared for the
outbox; registered by ShowcaseConfig.ready(). `publish_results` queues them *held*, so staff
read them in the outbox before they are sent."""

from django.utils.translation import gettext_lazy as _

from twinning.outbox.registry import register_template

RESULTS_STUDENT = "showcase.results_student"
RESULTS_GUARDIAN = "showcase.results_guardian"
RESULTS_COMMITTEE = "showcase.results_committee"

_ENTRANT_PLACEHOLDERS = [
    "first_name",
    "edition",
    "title",
    "category",
    "outcome",
    "exhibit_url",
    "certificates_url",
]


def register() -> None:
    register_template(
        RESULTS_STUDENT,
        subject=_("The showcase results are out: {{ title }}"),
        body=_(
            "Hello {{ first_name }},\n\n"
            "The results of the {{ edition }} Young Artists and Authors Showcase are published.\n\n"
            "Your entry “{{ title }}” ({{ category }}): {{ outcome }}.\n\n"
            "See the winners and finalists in the virtual exhibit:\n{{ exhibit_url }}\n\n"
            "Your certificate will be ready to download here shortly:\n{{ certificates_url }}\n\n"
            "Thank you for taking part."
        ),
        description=_("To a student when an edition's results are published (held for staff)."),
        placeholders=_ENTRANT_PLACEHOLDERS,
    )
    register_template(
        RESULTS_GUARDIAN,
        subject=_("The showcase results are out for {{ first_name }}"),
        body=_(
            "Hello,\n\n"
            "The results of the {{ edition }} Young Artists and Authors Showcase of "
            "{{ association_name }} are published.\n\n"
            "{{ first_name }}'s entry “{{ title }}” ({{ category }}): {{ outcome }}.\n\n"
            "The virtual exhibit: {{ exhibit_url }}\n\n"
            "A work is shown there only with your consent to publication, which you may "
            "withdraw at any time from the link in your consent e-mail."
        ),
        description=_("To a guardian when an edition's results are published (held for staff)."),
        placeholders=_ENTRANT_PLACEHOLDERS,
    )
    register_template(
        RESULTS_COMMITTEE,
        subject=_("Showcase results: {{ edition }}"),
        body=_(
            "Hello,\n\n"
            "The results of the {{ edition }} Young Artists and Authors Showcase are published. "
            "Honours for the students of {{ member }}:\n\n"
            "{{ honours }}\n\n"
            "The virtual exhibit: {{ exhibit_url }}\n\n"
            "You can book the travelling exhibit of the finalists for a month from your portal."
        ),
        description=_("To committee admins when an edition's results are published (held)."),
        placeholders=["member", "edition", "honours", "exhibit_url"],
    )
