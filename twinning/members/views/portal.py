"""The member portal's membership pages, under /portal/<member>/ (committee admins of that
member only; anyone else gets 404 like a missing page, C12), plus joining and co-admin
invitations under /membership/."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.core.authz import NotAllowed
from twinning.core.dates import association_today
from twinning.core.forms import add_service_error
from twinning.members.dashboard import dashboard_for
from twinning.members.forms import (
    AcceptInvitationForm,
    ApplicationForm,
    InviteForm,
    JoinForm,
)
from twinning.members.models import CoAdminInvitation, Invoice, Membership
from twinning.members.payments import online_providers
from twinning.members.pdf import invoice_pdf
from twinning.members.services import (
    InvitationInvalid,
    accept_invitation,
    apply_for_membership,
    invite_coadmin,
    join_association,
    open_invitation,
    remove_coadmin,
    set_auto_renew,
    withdraw_invitation,
)
from twinning.members.standing import is_in_good_standing, standing_reasons
from twinning.members.status import explain_status, member_status
from twinning.network.models import Member

INVITATION_SESSION_KEY = "members:invitation_token"


def _member(request: HttpRequest, slug: str, perm: str = "members.view_membership") -> Member:
    member = get_object_or_404(Member.objects.administered_by(request.user), slug=slug)
    if not request.user.has_perm(perm, member):
        raise Http404
    return member


@login_required
@require_safe
def portal_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request, slug)
    return render(request, "members/portal/dashboard.html", dashboard_for(member))


@login_required
@require_safe
def portal_membership(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request, slug)
    today = association_today()
    history = [
        {"membership": m, "status": m.status_on(today), "explanation": explain_status(m, today)}
        for m in member.memberships.select_related("membership_type").order_by("-start")
    ]
    context = {
        "member": member,
        "status": member_status(member, today),
        "history": history,
        "today": today,
    }
    return render(request, "members/portal/membership.html", context)


@login_required
@require_safe
def portal_standing(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request, slug)
    context = {
        "member": member,
        "good": is_in_good_standing(member),
        "reasons": standing_reasons(member),
    }
    return render(request, "members/portal/standing.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_renew(request: HttpRequest, slug: str) -> HttpResponse:
    """The renewal link of reminders: the form comes filled in from the last membership."""
    member = _member(request, slug, "members.apply_membership")
    last = member.memberships.order_by("-end").first()
    own = list(member.communities.values_list("pk", flat=True))
    initial: dict = {"communities": own}
    if last is not None:
        covered = [pk for pk in last.communities.values_list("pk", flat=True) if pk in own]
        initial = {
            "membership_type": last.membership_type_id,
            "communities": covered or own,
            "auto_renew": last.auto_renew,
        }
    form = ApplicationForm(request.POST or None, member=member, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            apply_for_membership(
                member=member,
                membership_type=data["membership_type"],
                communities=list(data["communities"]),
                note=data["note"],
                auto_renew=data["auto_renew"],
                by=request.user,
            )
        except NotAllowed as error:
            raise Http404 from error
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your application is sent to the association's staff."))
            return redirect("members:portal_membership", slug=member.slug)
    context = {"member": member, "form": form, "renewal": last is not None}
    return render(request, "members/portal/renew.html", context)


@login_required
@require_POST
def portal_auto_renew(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = _member(request, slug, "members.apply_membership")
    membership = get_object_or_404(Membership, member=member, pk=pk)
    on = request.POST.get("auto_renew") == "1"
    set_auto_renew(membership=membership, auto_renew=on, by=request.user)
    if on:
        messages.success(request, _("We will send a renewal invoice before the end."))
    else:
        messages.success(request, _("Automatic renewal invoices are off."))
    return redirect("members:portal_membership", slug=member.slug)


@login_required
@require_safe
def portal_invoice_list(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request, slug, "members.view_invoice")
    invoices = Invoice.objects.filter(member=member).with_balance().select_related("credits")
    return render(
        request, "members/portal/invoice_list.html", {"member": member, "invoices": invoices}
    )


def _invoice(member: Member, number: str) -> Invoice:
    return get_object_or_404(
        Invoice.objects.filter(member=member, issued_at__isnull=False)
        .with_balance()
        .select_related("credits", "member"),
        number=number,
    )


@login_required
@require_safe
def portal_invoice_detail(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    member = _member(request, slug, "members.view_invoice")
    invoice = _invoice(member, number)
    context = {
        "member": member,
        "invoice": invoice,
        "lines": invoice.lines.all(),
        "payments": invoice.payments.all(),
        "credit_notes": invoice.credit_notes.all(),
        "pay_providers": online_providers(),
    }
    return render(request, "members/portal/invoice_detail.html", context)


def pdf_response(invoice: Invoice) -> HttpResponse:
    data = invoice_pdf(invoice, paid=invoice.paid, credited=invoice.credited)  # type: ignore[attr-defined]
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def portal_invoice_pdf(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    member = _member(request, slug, "members.view_invoice")
    return pdf_response(_invoice(member, number))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_admins(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request, slug, "members.manage_coadmins")
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invite_coadmin(member=member, email=form.cleaned_data["email"], by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The invitation is on its way."))
            return redirect("members:portal_admins", slug=member.slug)
    context = {
        "member": member,
        "form": form,
        "admins": member.admins.order_by("email"),
        "invitations": member.admin_invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True
        ),
    }
    return render(request, "members/portal/admins.html", context)


@login_required
@require_POST
def portal_admin_remove(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    member = _member(request, slug, "members.manage_coadmins")
    user = get_object_or_404(member.admins.all(), pk=user_id)
    try:
        remove_coadmin(member=member, user=user, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("members:portal_admins", slug=member.slug)
    messages.success(request, _("%(who)s is no longer a co-admin.") % {"who": user.email})
    if user.pk == request.user.pk:
        return redirect("network:portal_home")
    return redirect("members:portal_admins", slug=member.slug)


@login_required
@require_POST
def portal_invitation_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = _member(request, slug, "members.manage_coadmins")
    invitation = get_object_or_404(CoAdminInvitation, member=member, pk=pk)
    withdraw_invitation(invitation=invitation, by=request.user)
    messages.success(request, _("The invitation is withdrawn."))
    return redirect("members:portal_admins", slug=member.slug)


def _invitation_unusable(request: HttpRequest, error: InvitationInvalid) -> HttpResponse:
    """A page saying why the link does not work and what to do: 410 for a link that worked
    once (used, withdrawn, expired), 404 for one that never did."""
    status = 404 if error.reason == "unknown" else 410
    context = {"reason": error.reason}
    return render(request, "members/portal/invitation_unusable.html", context, status=status)


@require_safe
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: the token moves into the session and leaves the URL (AUTH-11);
    nothing is spent until the invitation is accepted."""
    try:
        open_invitation(token)
    except InvitationInvalid as error:
        return _invitation_unusable(request, error)
    request.session[INVITATION_SESSION_KEY] = token
    return redirect("members:invitation_accept")


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest) -> HttpResponse:
    token = request.session.get(INVITATION_SESSION_KEY, "")
    try:
        invitation = open_invitation(token)
    except InvitationInvalid as error:
        return _invitation_unusable(request, error)
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        fields = form.cleaned_data if form is not None else {}
        try:
            member, user = accept_invitation(token=token, user=request.user, **fields)
        except InvitationInvalid as error:
            return _invitation_unusable(request, error)
        except ValidationError as error:
            if form is not None:
                add_service_error(form, error)
            else:
                messages.error(request, " ".join(error.messages))
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            if not signed_in:
                login(request, user, backend="twinning.accounts.ratelimit.RateLimitedModelBackend")
            messages.success(request, _("Welcome: you now help run %(m)s.") % {"m": member.name})
            return redirect("members:portal_dashboard", slug=member.slug)
    context = {"invitation": invitation, "form": form}
    return render(request, "members/portal/invitation_accept.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """An organisation applies to join the association."""
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = join_association(
                name=data["name"],
                kind=data["kind"],
                communities=form.communities(),
                membership_type=data["membership_type"],
                note=data["note"],
                website=data["website"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Thank you: your application is sent to the association's staff.")
            )
            return redirect("members:portal_membership", slug=membership.member.slug)
    return render(request, "members/portal/join.html", {"form": form})
