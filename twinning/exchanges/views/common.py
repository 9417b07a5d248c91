"""Lookups the exchange's views share: what the request may see, or 404 (C12)."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from twinning.exchanges.models import SendingContact, Student
from twinning.exchanges.navigation import CONTACT_SESSION
from twinning.exchanges.services.students import may_see_student
from twinning.network.models import Member


def managed_member(request: HttpRequest, slug: str) -> Member:
    """The hosting committee `slug` when the user manages its exchange (staff, its admins, its
    coordinators); 404 otherwise."""
    member = get_object_or_404(Member, slug=slug)
    if not request.user.has_perm("exchanges.manage_committee", member):
        raise Http404
    return member


def hosting_committees() -> QuerySet[Member]:
    """The committees that offer exchange places (staff's filters and links: their name and
    slug only), by name."""
    found = Member.objects.filter(exchange_quotas__isnull=False).only("name", "slug")
    return found.distinct().order_by("name")


def session_contacts(request: HttpRequest) -> list[SendingContact]:
    """The sending contacts the request acts as: the user's, and those whose link the session
    opened."""
    ids = [int(pk) for pk in request.session.get(CONTACT_SESSION, []) if str(pk).isdigit()]
    found = SendingContact.objects.filter(pk__in=ids, token_used_at__isnull=False)
    mine = list(found.select_related("quota__season", "quota__host"))
    if request.user.is_authenticated:
        mine += list(
            SendingContact.objects.filter(user=request.user)
            .exclude(pk__in=ids)
            .select_related("quota__season", "quota__host")
        )
    return mine


def contact_for(request: HttpRequest, quota_id: int) -> SendingContact | None:
    return next((c for c in session_contacts(request) if c.quota_id == quota_id), None)


def visible_student(request: HttpRequest, pk: int) -> tuple[Student, SendingContact | None]:
    """The student, when the request may see them (staff, the hosting committee's managers,
    the quota's sending contact); 404 otherwise."""
    student = get_object_or_404(
        Student.objects.select_related(
            "person__user", "person__guardian", "quota__season", "quota__host", "season"
        ),
        pk=pk,
    )
    contact = contact_for(request, student.quota_id)
    if not may_see_student(request.user, student, contact):
        raise Http404
    return student, contact


def flat_errors(error: Any) -> str:
    return " ".join(getattr(error, "messages", [str(error)]))
