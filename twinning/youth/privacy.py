"""Privacy of young people (PRIV-10..PRIV-12, P-01): the export of what youth holds about a
person, and erasure and retention hooks. youth.privacy writes only youth's tables (people,
guardians, consents); each program erases its own tables and calls these for the person.
The audit log and the outbox forget through their own services (core.privacy,
outbox.privacy)."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from twinning.core.privacy import Subjects, shred_audit_data
from twinning.outbox.privacy import forget_messages
from twinning.youth.models import Consent, ConsentScope, Guardian, Person


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else value


# --- Export (PRIV-12) -----------------------------------------------------------------------------


def person_data(person: Person) -> dict[str, Any]:
    """The person's profile as JSON-ready data."""
    community = person.community
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": _iso(person.date_of_birth),
        "email": person.user.email,
        "community": community.name,
        "country": community.country.name,
        "school": person.school,
        "guardian_email": person.guardian_email,
        "registered_at": _iso(person.created_at),
    }


def consents_data(person: Person, *, program: str | None = None) -> list[dict[str, Any]]:
    """The person's consent records (of one program, or all), scope by scope; the link's token
    only as "used or not"."""
    consents = person.consents.prefetch_related("answers").order_by("pk")
    if program is not None:
        consents = consents.filter(program=program)
    return [
        {
            "program": consent.program,
            "email": consent.email,
            "verified_by": consent.verified_by,
            "requested_at": _iso(consent.created_at),
            "link_used_at": _iso(consent.token_used_at),
            "answered_at": _iso(consent.responded_at),
            "notice_version": consent.notice_version,
            "notice_sha256": consent.notice_hash,
            "scopes": {
                answer.scope: {
                    "granted_at": _iso(answer.granted_at),
                    "withdrawn_at": _iso(answer.withdrawn_at),
                }
                for answer in consent.answers.all()
            },
        }
        for consent in consents
    ]


def export_person_data(person: Person) -> dict[str, Any]:
    """Everything youth holds about the person (profile, guardian, every program's consents),
    and nothing about anyone else."""
    return {
        "format": "twinning-youth-person/1",
        "exported_at": _iso(timezone.now()),
        "person": person_data(person),
        "consents": consents_data(person),
    }


# --- Erasure and retention (PRIV-10, PRIV-11) -----------------------------------------------------


def person_subjects(person: Person, *, program: str | None = None) -> list[Any]:
    """The (model, pks) pairs the audit log and the outbox know the person by."""
    consents = person.consents.all()
    if program is not None:
        consents = consents.filter(program=program)
    return [(Person, [person.pk]), (Consent, list(consents.values_list("pk", flat=True)))]


def forget_person(person: Person, *, subjects: Subjects = ()) -> None:
    """Audit entries about the person (and `subjects`, the program's own rows) keep the action
    and time but lose their details; mail to or about them leaves the outbox."""
    everything = [*person_subjects(person), *subjects]
    shred_audit_data(subjects=everything)
    addresses = [person.user.email] + ([person.guardian_email] if person.guardian_id else [])
    forget_messages(addresses=addresses, subjects=everything)


def delete_person(person: Person) -> None:
    """Delete the person, their consents, their guardian when no one else has them, and their
    account unless it has another role (staff, a committee's administrator)."""
    user, guardian_id = person.user, person.guardian_id
    person.delete()
    if guardian_id is not None:
        Guardian.objects.filter(pk=guardian_id, people__isnull=True).delete()
    if not user.is_staff and not user.administered_members.exists():
        shred_audit_data(actor=user)  # what the account signed loses its details with it
        user.delete()


def in_other_programs(person: Person, program: str) -> bool:
    return person.consents.exclude(program=program).exists()


def erase_person(person: Person, *, program: str, subjects: Subjects = ()) -> bool:
    """A program is done with the person (erasure on request, retention): when no other
    program holds them, forget and delete the person (True); otherwise forget and delete only
    `program`'s consent records and keep the person for the others (False)."""
    if not in_other_programs(person, program):
        forget_person(person, subjects=subjects)
        delete_person(person)
        return True
    consents = person.consents.filter(program=program)
    shred_audit_data(subjects=[(Consent, list(consents.values_list("pk", flat=True))), *subjects])
    forget_messages(subjects=list(subjects))
    consents.delete()
    return False


def never_consented(program: str, scope: str, *, before: datetime.datetime) -> models.QuerySet:
    """People of `program` with a guardian, registered before `before`, whose `scope` was never
    granted (retention: a minor's account whose guardian never answers is deleted)."""
    granted = ConsentScope.objects.filter(
        consent__person=OuterRef("pk"),
        consent__program=program,
        scope=scope,
        granted_at__isnull=False,
    )
    return (
        Person.objects.in_program(program)
        .filter(created_at__lt=before, guardian__isnull=False)
        .exclude(Exists(granted))
    )


def people(pks: Iterable[int]) -> models.QuerySet:
    """The people with these primary keys (a program's privacy code holds ids, not rows)."""
    return Person.objects.filter(pk__in=list(pks)).select_related("user", "guardian")
