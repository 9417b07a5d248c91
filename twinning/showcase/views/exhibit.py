"""The public exhibit of an edition's winners and finalists (each work shown only while its
publication consent and staff approval hold, checked on every request), a work's shareable
page and its media; the certificates a student or guardian downloads; and the travelling
exhibit's bookings (committee admins book, staff see the calendar)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.accounts.decorators import staff_required
from twinning.core.authz import NotAllowed
from twinning.core.dates import association_today
from twinning.core.forms import add_service_error
from twinning.core.media import media_response, private_storage
from twinning.network.models import Member
from twinning.showcase.forms_results import BookingForm
from twinning.showcase.models import (
    Booking,
    Certificate,
    Edition,
    Entry,
    EntryFile,
    ExhibitWork,
)
from twinning.showcase.services import (
    book_exhibit,
    cancel_booking,
    first_of_month,
)
from twinning.showcase.views._common import serve_entry_file
from twinning.youth.models import Person

MEDIA_VARIANTS = ("display", "thumb")
CALENDAR_MONTHS = 24


def _published_edition(year: int) -> Edition:
    edition = Edition.objects.filter(year=year).order_by("-opens_at").first()
    if edition is None:
        raise Http404
    return edition


def _works(edition: Edition):  # type: ignore[no-untyped-def]
    """The edition's works that may be shown now (consent and approval re-checked in SQL)."""
    return (
        ExhibitWork.objects.on_show()
        .filter(edition=edition, entry__in=Entry.objects.publishable())
        .select_related(
            "edition", "entry__category", "entry__student__community__country", "entry__work_file"
        )
        .order_by("entry__category__order", "entry__category__name", "place", "outcome", "pk")
    )


@require_safe
def exhibit_edition(request: HttpRequest, year: int) -> HttpResponse:
    """Winners and finalists by category. Before the results are published the page says so
    and shows nothing else."""
    edition = _published_edition(year)
    categories: list[dict] = []
    if edition.results_published:
        by_category: dict[int, dict] = {}
        for work in _works(edition):
            category = work.entry.category
            row = by_category.setdefault(category.pk, {"category": category, "works": []})
            row["works"].append(work)
        categories = list(by_category.values())
    return render(
        request,
        "showcase/exhibit/edition.html",
        {"edition": edition, "categories": categories},
    )


def _shown_work(year: int, slug: str) -> ExhibitWork:
    edition = _published_edition(year)
    if not edition.results_published:
        raise Http404
    return get_object_or_404(_works(edition), slug=slug)


@require_safe
def exhibit_work(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    """A work's shareable page; 404 as soon as consent is withdrawn or approval revoked.
    Not indexed by search engines unless the student opted in."""
    work = _shown_work(year, slug)
    response = render(
        request, "showcase/exhibit/work.html", {"work": work, "edition": work.edition}
    )
    if not work.indexable:
        response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def exhibit_media(request: HttpRequest, year: int, slug: str, variant: str) -> HttpResponse:
    if variant not in MEDIA_VARIANTS:
        raise Http404
    work = _shown_work(year, slug)
    response = serve_entry_file(EntryFile.objects.filter(entry=work.entry).first(), variant)
    # Re-checked on every request, so a withdrawal takes effect at once: no shared caching.
    response["Cache-Control"] = "no-cache"
    if not work.indexable:
        response["X-Robots-Tag"] = "noindex"
    return response


# --- Certificates ----------------------------------------------------------------------------


def _certificate_student(request: HttpRequest) -> Person | None:
    """The student whose certificates this visitor may have: the guardian's (consent session)
    or the signed-in student's own."""
    from twinning.showcase.views.guardians import GUARDIAN, _session_consent

    if request.session.get(GUARDIAN):
        try:
            return _session_consent(request, GUARDIAN).person
        except Http404:
            pass
    if request.user.is_authenticated:
        return Person.objects.filter(user=request.user).first()
    return None


def _certificates(student: Person | None):  # type: ignore[no-untyped-def]
    if student is None:
        return Certificate.objects.none()
    return Certificate.objects.filter(
        entry__student=student, entry__edition__results_published_at__isnull=False
    ).select_related("entry__edition", "entry__category")


@require_safe
def my_certificates(request: HttpRequest) -> HttpResponse:
    student = _certificate_student(request)
    if student is None and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    response = render(
        request,
        "showcase/exhibit/certificates.html",
        {"student": student, "certificates": _certificates(student)},
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def certificate_download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    student = _certificate_student(request)
    if student is None and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    certificate = get_object_or_404(_certificates(student), pk=certificate_id)
    return media_response(
        private_storage,
        certificate.file_name,
        content_type="application/pdf",
        download_name=f"certificate-{certificate.entry.edition.year}.pdf",
        inline=False,
    )


# --- The travelling exhibit ------------------------------------------------------------------


def _edition(slug: str) -> Edition:
    return get_object_or_404(Edition, slug=slug)


def _months(start: datetime.date, count: int) -> list[datetime.date]:
    return [start + relativedelta(months=n) for n in range(count)]


def _calendar(edition: Edition) -> list[dict]:
    bookings = {
        booking.month: booking
        for booking in Booking.objects.active()
        .filter(edition=edition)
        .select_related("member", "booked_by")
    }
    start = min([first_of_month(association_today()), *bookings])
    end = max(
        [
            first_of_month(association_today()) + relativedelta(months=CALENDAR_MONTHS - 1),
            *bookings,
        ]
    )
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    return [{"month": month, "booking": bookings.get(month)} for month in _months(start, count)]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_bookings(request: HttpRequest, edition: str) -> HttpResponse:
    edition_obj = _edition(edition)
    members = Member.objects.administered_by(request.user).order_by("name")
    if not members.exists():
        raise Http404
    form = BookingForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            book_exhibit(edition=edition_obj, by=request.user, **form.cleaned_data)
        except NotAllowed as error:
            raise Http404 from error
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The exhibit is booked for you."))
            return redirect("showcase:portal_bookings", edition=edition_obj.slug)
    context = {
        "edition": edition_obj,
        "form": form,
        "calendar": _calendar(edition_obj),
        "own": set(members.values_list("pk", flat=True)),
    }
    return render(request, "showcase/exhibit/portal_bookings.html", context)


@login_required
@require_POST
def portal_booking_cancel(request: HttpRequest, edition: str, booking_id: int) -> HttpResponse:
    edition_obj = _edition(edition)
    booking = get_object_or_404(
        Booking.objects.active().filter(
            edition=edition_obj, member__in=Member.objects.administered_by(request.user)
        ),
        pk=booking_id,
    )
    cancel_booking(booking=booking, by=request.user)
    messages.success(request, _("Your booking is cancelled."))
    return redirect("showcase:portal_bookings", edition=edition_obj.slug)


@staff_required
@require_safe
def staff_bookings(request: HttpRequest, edition: str) -> HttpResponse:
    edition_obj = _edition(edition)
    return render(
        request,
        "showcase/exhibit/staff_bookings.html",
        {"edition": edition_obj, "calendar": _calendar(edition_obj)},
    )
