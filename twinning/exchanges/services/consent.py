"""The exchange's consents after the answer: withdrawal (youth's `withdraw_consent`, one copy)
with the hosting committee's coordinators told through the outbox, and the reads of the
student's and the guardian's own pages.

Withdrawal takes effect at once for every record of the person (youth), is audited by youth
(`exchanges.consent.withdrawn`, per record and scope) and on each of the person's exchange
students (`exchanges.student.consent_withdrawn`, the scopes only). The student's status does
not change by itself: accepting needs participation (`students.change_status` checks it), and
what to do with a student already accepted or placed is the committee's and the association's
decision, which the e-mail asks for."""

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from twinning.core.reverse import absolute_url
from twinning.core.services import log_activity
from twinning.exchanges.emails import CONSENT_WITHDRAWN
from twinning.exchanges.models import Coordinator, Placement, Student
from twinning.exchanges.services.students import PROGRAM
from twinning.outbox.services import queue_email
from twinning.youth.models import Consent, Person
from twinning.youth.programs import get_program
from twinning.youth.services import has_consent, withdraw_consent


def scopes_of(person: Person) -> list[dict[str, Any]]:
    """Each scope of the exchange for `person`: its code, label and whether it stands now, in
    two queries whatever the number of records (the consents and their answers)."""
    consents = list(person.consents.of_program(PROGRAM).prefetch_related("answers"))
    return [
        {
            "scope": scope,
            "label": label,
            "active": any(consent.is_active(scope) for consent in consents),
        }
        for scope, label in get_program(PROGRAM).scopes.items()
    ]


def _coordinator_addresses(student: Student) -> list[str]:
    """The hosting committee's exchange coordinators and the current placement's local
    coordinator, once each."""
    found = Coordinator.objects.filter(
        Q(member_id=student.quota.host_id, is_exchange_coordinator=True)
        | Q(placements__student=student, placements__ended_at__isnull=True)
    ).select_related("user")
    return sorted({c.user.email.lower() for c in found if c.user.email})


@transaction.atomic
def withdraw_exchange_consent(
    *, person: Person, scope: str, by: Any, guardian: Consent | None = None
) -> int:
    """Withdraw `scope` of the exchange at once (and every scope that needs it: participation
    takes medical treatment and photos with it) through youth's `withdraw_consent`: the person
    themself, verified staff, SYSTEM, or the guardian through the current consent record their
    link opened (`guardian`; NotAllowed for anyone else, ValidationError for an unknown scope).
    When something changed, each of the person's exchange students gets an audit entry and the
    hosting committee's coordinators an e-mail (the scopes, never a restricted value). Returns
    how many answers changed."""
    definition = get_program(PROGRAM)
    standing = [name for name in definition.dependants(scope) if has_consent(person, PROGRAM, name)]
    changed = withdraw_consent(
        person=person, program=PROGRAM, scope=scope, by=by, guardian=guardian
    )
    if not changed:
        return 0
    labels = ", ".join(str(definition.scopes[name]) for name in standing)
    for student in Student.objects.filter(person=person).select_related("quota", "person"):
        log_activity(
            student, "exchanges.student.consent_withdrawn", by=by, data={"scopes": standing}
        )
        page_url = absolute_url(reverse("exchanges:student_detail", kwargs={"pk": student.pk}))
        for address in _coordinator_addresses(student):
            queue_email(
                to=address,
                template=CONSENT_WITHDRAWN,
                context={"student_name": student.name, "scopes": labels, "page_url": page_url},
                related=student,
                by=by,
            )
    return changed


def own_students(user: Any) -> QuerySet[Student]:
    """The exchange students `user` is (one per season), newest season first, with what their
    own page shows: the hosting committee, the season, the current placement's family, school
    and coordinator, the orientations and the status history (a fixed number of queries)."""
    current = Placement.objects.current().select_related(
        "approval__family", "school", "coordinator__user"
    )
    return (
        Student.objects.filter(person__user=user, season__retention_done_at__isnull=True)
        .select_related("season", "quota__host", "person")
        .prefetch_related(
            Prefetch("placements", queryset=current, to_attr="current_placements"),
            "orientations",
            "status_changes",
        )
        .order_by("-season__arrival_date", "pk")
    )


def guardian_students(person: Person) -> QuerySet[Student]:
    """The exchange students of the person a guardian's consent names, with the season, the
    hosting committee and the status history (nothing restricted, no family)."""
    return (
        Student.objects.filter(person=person, season__retention_done_at__isnull=True)
        .select_related("season", "quota__host")
        .order_by("-season__arrival_date", "pk")
    )


__all__ = ["guardian_students", "own_students", "scopes_of", "withdraw_exchange_consent"]
