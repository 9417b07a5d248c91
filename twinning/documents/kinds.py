"""The documents the platform writes from the registry, one `DocumentKind` each, declared in
code with a default text and registered here (as the outbox registers its e-mails).

A kind's title and body are written in the outbox's safe template language
(`outbox.registry.check_text`: variables, filters, `{% if %}` and `{% for %}`, no tag
libraries, no includes) and may use only the placeholders the kind declares: those the
registry fills (`placeholders`) and the fields a committee fills in (`fields`). Staff replace
the text per language (`DocumentTemplate`); the code's text is the source language's
(`settings.LANGUAGE_CODE`) and, through the gettext catalogue, every offered language's
(`settings.LANGUAGES`) whose catalogue translates both its title and its body
(`default_text`). A higher app (awards, showcase, events) may register its own kind
in its AppConfig.ready, or generate one of these with `services.generate_document`."""

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from twinning.outbox.registry import COMMON_PLACEHOLDERS, check_text

logger = logging.getLogger(__name__)

# Placeholders every document may use, filled by the documents app itself.
DOCUMENT_PLACEHOLDERS = COMMON_PLACEHOLDERS | {"today"}


@dataclass(frozen=True)
class Field:
    """A value the registry does not know, asked of the committee in the document's form."""

    name: str
    label: Promise | str
    kind: str = "text"  # text, textarea, date
    required: bool = True
    help_text: Promise | str = ""


@dataclass(frozen=True)
class DocumentKind:
    key: str
    name: Promise | str
    description: Promise | str
    title: Promise | str
    body: Promise | str
    placeholders: frozenset[str]
    fields: tuple[Field, ...] = ()
    for_partnership: bool = True
    bilingual: bool = False
    # Shown on the committee's documents page; False for kinds another app generates (the
    # visa letter comes from a delegation's travellers in activities).
    in_portal: bool = True
    # How the PDF is laid out (documents.pdf): LETTER, on the letterhead, or CERTIFICATE, one
    # landscape page.
    layout: str = "letter"
    # Placeholders another app fills with an ISO date, written in each language's long form
    # (as a date field is).
    dates: frozenset[str] = frozenset()

    @property
    def allowed_placeholders(self) -> frozenset[str]:
        return self.placeholders | DOCUMENT_PLACEHOLDERS | {f.name for f in self.fields}


LETTER = "letter"
CERTIFICATE = "certificate"


class UnknownKind(LookupError):
    """No document is registered under this key."""


_KINDS: dict[str, DocumentKind] = {}


def check_texts(kind: DocumentKind, *, title: str, body: str) -> None:
    """ValidationError keyed by field when a title or body is not valid for `kind`."""
    errors: dict[str, list[str]] = {}
    for name, source, label in (("title", title, _("title")), ("body", body, _("text"))):
        try:
            check_text(source, label=label, allowed=kind.allowed_placeholders)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


def register_kind(kind: DocumentKind) -> None:
    """Declare a document; its default texts are checked at once (a mistake fails start-up)."""
    with translation.override(None):
        try:
            check_texts(kind, title=str(kind.title), body=str(kind.body))
        except ValidationError as error:
            raise ImproperlyConfigured(f"Document {kind.key!r}: {error.messages}") from error
    _KINDS[kind.key] = kind


def get_kind(key: str) -> DocumentKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise UnknownKind(key) from None


def registered_kinds(*, in_portal: bool | None = None) -> list[DocumentKind]:
    kinds = [_KINDS[key] for key in sorted(_KINDS)]
    return [k for k in kinds if in_portal is None or k.in_portal == in_portal]


def source_language() -> str:
    """The language the code's texts are written in."""
    return settings.LANGUAGE_CODE.split("-")[0]


# Template syntax: what a text holds besides its own words.
_SYNTAX = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.DOTALL)


def _translated(text: str, source: str) -> bool:
    """Whether the catalogue gave `source` a translation (`text`): it differs, or `source`
    has no words of its own to translate (a title that is only `{{ award }}`)."""
    return text != source or not re.search(r"\w", _SYNTAX.sub("", source))


def default_text(kind: DocumentKind, language: str) -> dict[str, str] | None:
    """The code's title and body in `language`: the source language's text; for another
    language of settings.LANGUAGES, the gettext catalogue's translation when it translates
    both the title and the body and the translation passes the kind's check; else None.
    A translation that fails the check (a placeholder the kind does not offer, broken
    syntax) is logged as a warning and not used: the document falls back to another
    language rather than fail."""
    if language.split("-", maxsplit=1)[0] == source_language():
        with translation.override(language):
            return {"title": str(kind.title), "body": str(kind.body)}
    if language not in {code for code, _name in settings.LANGUAGES}:
        return None
    with translation.override(None):
        source = (str(kind.title), str(kind.body))
    with translation.override(language):
        title, body = str(kind.title), str(kind.body)
    if not (_translated(title, source[0]) and _translated(body, source[1])):
        return None
    try:
        check_texts(kind, title=title, body=body)
    except ValidationError as error:
        logger.warning(
            "The %s translation of document %r is not used: %s",
            language,
            kind.key,
            "; ".join(error.messages),
        )
        return None
    return {"title": title, "body": body}


def translated_languages(kind: DocumentKind) -> list[str]:
    """The languages of settings.LANGUAGES, other than the source, the code's text of `kind`
    is available in through the catalogue (`default_text`), in settings' order."""
    return [
        code
        for code, _name in settings.LANGUAGES
        if code.split("-", maxsplit=1)[0] != source_language()
        and default_text(kind, code) is not None
    ]


# --- The standard documents ---------------------------------------------------------------------

PARTNERSHIP = frozenset(
    {
        "member_name",
        "community",
        "partner",
        "partnership_kind",
        "established_year",
    }
)


SIGNATORIES = (
    Field(
        "our_signatory",
        gettext_lazy("Our mayor or signatory"),
        help_text=gettext_lazy("Filled in from your officers; change it if someone else signs."),
    ),
    Field("partner_signatory", gettext_lazy("The partner's mayor or signatory")),
)


def register_standard_kinds() -> None:
    _ = gettext_lazy
    register_kind(
        DocumentKind(
            key="partnership_agreement",
            name=_("Partnership agreement"),
            description=_(
                "The agreement both communities sign: in your language and, where a text "
                "exists, the partner's, side by side."
            ),
            title=_("Sister city agreement between {{ community.name }} and {{ partner.name }}"),
            body=_(
                "{{ community.name }} ({{ community.country }}) and {{ partner.name }} "
                "({{ partner.country }}) agree to be sister cities, to promote friendship, "
                "understanding and cooperation between their people.\n\n"
                "The two communities will cooperate in these fields:\n"
                "{{ fields_of_cooperation }}\n\n"
                "Signed at {{ signing_place }} on {{ signing_date }}.\n\n"
                "For {{ community.name }}: {{ our_signatory }}\n"
                "For {{ partner.name }}: {{ partner_signatory }}"
            ),
            placeholders=PARTNERSHIP,
            fields=(
                Field("signing_date", _("Date of signing"), kind="date"),
                Field("signing_place", _("Place of signing")),
                Field(
                    "fields_of_cooperation",
                    _("Fields of cooperation"),
                    kind="textarea",
                    help_text=_("One per line, e.g. education, culture, trade."),
                ),
                *SIGNATORIES,
            ),
            bilingual=True,
        )
    )
    register_kind(
        DocumentKind(
            key="partnership_invitation",
            name=_("Invitation to partner"),
            description=_("A letter inviting a community to become your sister city."),
            title=_("Invitation to partner with {{ community.name }}"),
            body=_(
                "{{ today }}\n\n"
                "To the Mayor and the people of {{ partner.name }}, {{ partner.country }}\n\n"
                "On behalf of {{ community.name }} and {{ member_name }}, we invite "
                "{{ partner.name }} to become our sister city. We propose to begin with:\n"
                "{{ proposed_activities }}\n\n"
                "We would be glad of your answer by {{ reply_by }}.\n\n"
                "{{ our_signatory }}"
            ),
            placeholders=PARTNERSHIP,
            fields=(
                Field("proposed_activities", _("What you propose to do together"), "textarea"),
                Field("reply_by", _("Answer requested by"), kind="date"),
                SIGNATORIES[0],
            ),
        )
    )
    register_kind(
        DocumentKind(
            key="mayoral_proclamation",
            name=_("Mayoral proclamation"),
            description=_("The mayor's proclamation of the association's day in your community."),
            title=_("Proclamation: {{ day_name }}"),
            body=_(
                "Whereas {{ community.name }} and {{ partner.name }} have been sister cities"
                "{% if established_year %} since {{ established_year }}{% endif %}, and their "
                "people have built friendship and understanding;\n\n"
                "Whereas {{ association_name }} connects communities across the world;\n\n"
                "Now, therefore, I, {{ our_signatory }}, Mayor of {{ community.name }}, proclaim "
                "{{ day_date }} as {{ day_name }} in {{ community.name }}."
            ),
            placeholders=PARTNERSHIP,
            fields=(
                Field("day_name", _("Name of the day"), help_text=_("e.g. Sister Cities Day")),
                Field("day_date", _("Date of the day"), kind="date"),
                Field("our_signatory", _("The mayor who proclaims")),
            ),
        )
    )
    register_kind(
        DocumentKind(
            key="participation_certificate",
            name=_("Certificate of participation"),
            description=_("A certificate for someone who took part in an exchange."),
            title=_("Certificate of participation"),
            body=_(
                "{{ recipient }}\n\n"
                "took part in {{ activity }} between {{ community.name }} and "
                "{{ partner.name }} on {{ activity_date }}.\n\n"
                "{{ our_signatory }}, {{ member_name }}"
            ),
            placeholders=PARTNERSHIP,
            fields=(
                Field("recipient", _("Name of the participant")),
                Field("activity", _("Exchange or event")),
                Field("activity_date", _("Date"), kind="date"),
                SIGNATORIES[0],
            ),
            layout=CERTIFICATE,
        )
    )
    register_kind(
        DocumentKind(
            key="award_certificate",
            name=_("Award certificate"),
            description=_("A certificate for the winner of an award."),
            title=_("{{ award }}"),
            body=_(
                "{{ recipient }}\n\n"
                "{{ association_name }} presents {{ award }} to {{ recipient }}"
                "{% if citation %} for {{ citation }}{% endif %}.\n\n"
                "{{ award_date }}\n\n{{ our_signatory }}, {{ member_name }}"
            ),
            placeholders=frozenset({"member_name"}),
            fields=(
                Field("award", _("Name of the award")),
                Field("recipient", _("Name of the recipient")),
                Field("citation", _("For what"), required=False),
                Field("award_date", _("Date"), kind="date"),
                SIGNATORIES[0],
            ),
            for_partnership=False,
            layout=CERTIFICATE,
        )
    )
    register_kind(
        DocumentKind(
            key="visa_letter",
            name=_("Invitation letter for a visa"),
            description=_(
                "The letter inviting one traveller of a delegation, for the consulate; made "
                "from the delegation's page."
            ),
            title=_("Invitation letter"),
            body=_(
                "{{ today }}\n\n"
                "To the consular section concerned\n\n"
                "We confirm that {{ traveller_name }}, {{ traveller_role }}, travels as part of "
                "the delegation of {{ member_name }} for “{{ activity_title }}”, from "
                "{{ start_date }} to {{ end_date }}, within the partnership between "
                "{{ partners }}.{% if places %}\n\nPlaces: {{ places }}{% endif %}"
                "{% if itinerary %}\n\nItinerary:{% for stop in itinerary %}\n"
                "{{ stop.date }}: {{ stop.place }}, {{ stop.purpose }}{% endfor %}{% endif %}\n\n"
                "The hosts and the association take responsibility for the programme above. "
                "Please contact us at the address above for any question.\n\n"
                "{{ association_name }}"
            ),
            placeholders=frozenset(
                {
                    "traveller_name",
                    "traveller_role",
                    "member_name",
                    "activity_title",
                    "start_date",
                    "end_date",
                    "partners",
                    "places",
                    "itinerary",
                }
            ),
            for_partnership=False,
            in_portal=False,
        )
    )
    register_certificate_kinds()


def register_certificate_kinds() -> None:
    """The certificates awards, the showcase and events make for their people (in_portal
    False: made by those apps, their texts edited here like every document's). In the
    certificate layout the body's first paragraph is set large: the recipient."""
    _ = gettext_lazy
    register_kind(
        DocumentKind(
            key="honour_certificate",
            name=_("Awards: certificate of an honour"),
            description=_(
                "The certificate of a winner or an honourable mention of the annual awards, "
                "made when the results are announced."
            ),
            title=_("{% if winner %}Winner{% else %}Honourable mention{% endif %}"),
            body=_(
                "{{ recipient }}\n\n"
                "{{ category }}: “{{ work_title }}”, {{ community }}\n\n"
                "Annual Awards {{ year }}\n\n"
                "{{ announced_on }}"
            ),
            placeholders=frozenset(
                {"winner", "recipient", "category", "work_title", "community", "year"}
                | {"announced_on"}
            ),
            dates=frozenset({"announced_on"}),
            for_partnership=False,
            in_portal=False,
            layout=CERTIFICATE,
        )
    )
    # A young person's certificate: only their first name and community, the edition and the
    # result are written (and kept) on it (RELIABILITY section 3).
    register_kind(
        DocumentKind(
            key="showcase_certificate",
            name=_("Showcase: certificate of a young participant"),
            description=_(
                "The certificate of a participant, finalist or winner of a showcase edition, "
                "made when the results are published; only the first name and community are "
                "printed."
            ),
            title=_(
                "{% if place %}Winner: place {{ place }}{% elif finalist %}Finalist"
                "{% else %}Certificate of participation{% endif %}"
            ),
            body=_(
                "{{ first_name }}\n\n"
                "{{ community }}, {{ category }}\n\n"
                "Young Artists and Authors Showcase {{ year }}: {{ theme }}\n\n"
                "{{ published_on }}"
            ),
            placeholders=frozenset(
                {"first_name", "community", "category", "place", "finalist", "year", "theme"}
                | {"published_on"}
            ),
            dates=frozenset({"published_on"}),
            for_partnership=False,
            in_portal=False,
            layout=CERTIFICATE,
        )
    )
    register_kind(
        DocumentKind(
            key="attendance_certificate",
            name=_("Events: certificate of attendance"),
            description=_(
                "The certificate a person who attended a webinar downloads from its page."
            ),
            title=_("Certificate of attendance"),
            body=_(
                "{{ attendee }}\n\n"
                "attended the webinar “{{ event_title }}” on {{ event_date }}, for "
                "{{ minutes }} minutes."
                "{% if partner %}\n\nGiven with {{ partner }}.{% endif %}"
            ),
            placeholders=frozenset({"attendee", "event_title", "event_date", "minutes", "partner"}),
            dates=frozenset({"event_date"}),
            for_partnership=False,
            in_portal=False,
            layout=CERTIFICATE,
        )
    )
