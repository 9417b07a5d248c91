"""The portal and staff pages, by role: what each person sees and may do (ACC-1 to ACC-3, ACC-5,
AUTH-11)."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from tests.factories import CommunityFactory, MemberFactory, PartnershipFactory, UserFactory
from tests.factories.activities import ActivityFactory
from tests.factories.members import MembershipFactory
from tests.outbox.delivery import delivered_body
from twinning.core.authz import SYSTEM
from twinning.members.models import CoAdminInvitation, Invoice, Membership, Status
from twinning.members.queries import members_with_status
from twinning.members.services import invite_coadmin, issue_invoice
from twinning.outbox.models import OutboxMessage

D = datetime.date
NOON = datetime.datetime(2026, 8, 3, 16, 0, tzinfo=datetime.UTC)


@pytest.fixture
def invoiced(springfield_member, association):
    membership = MembershipFactory(member=springfield_member)
    invoice = issue_invoice(
        member=springfield_member, membership=membership, lines=[("Dues", 1, "300")], by=SYSTEM
    )
    return membership, invoice


@pytest.fixture
def other_invoice(other_committee_admin_user, association):
    other = other_committee_admin_user.administered_members.get()
    return issue_invoice(member=other, lines=[("Dues", 1, "120")], by=SYSTEM)


# --- Portal ------------------------------------------------------------------------------------


def test_dashboard_shows_status_invoice_partnerships_and_actions(
    committee_admin, springfield_member, springfield, invoiced
):
    partner = CommunityFactory(name="Quietown")
    PartnershipFactory(community_a=springfield, community_b=partner)

    with time_machine.travel(NOON):
        page = committee_admin.get(f"/portal/{springfield_member.slug}/dashboard/")

    text = page.content.decode()
    assert "Current until 2027-06-30" in text
    assert invoiced[1].number in text
    assert "Quietown" in text
    assert "Quiet for two years" in text
    assert "300.00 USD still owed" in text


def test_open_calls_registered_by_a_program_show_on_the_dashboard(
    committee_admin, springfield_member
):
    from twinning.members.calls import OpenCall, register_open_calls, unregister_open_calls

    def provider(member, today):
        return [OpenCall(title="Showcase 2027", url="/showcase/", deadline=D(2027, 2, 1))]

    register_open_calls(provider)
    try:
        page = committee_admin.get(f"/portal/{springfield_member.slug}/dashboard/")
    finally:
        unregister_open_calls(provider)

    assert "Showcase 2027" in page.content.decode()


def test_standing_page_says_why_not(committee_admin, springfield_member):
    page = committee_admin.get(f"/portal/{springfield_member.slug}/membership/standing/")

    text = page.content.decode()
    assert "is not in good standing" in text
    assert "No membership on record." in text


def test_own_invoice_and_pdf(committee_admin, springfield_member, invoiced):
    number = invoiced[1].number

    page = committee_admin.get(f"/portal/{springfield_member.slug}/invoices/{number}/")
    pdf = committee_admin.get(f"/portal/{springfield_member.slug}/invoices/{number}/pdf/")

    assert "Dues" in page.content.decode()
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_c2_another_committees_invoice_is_not_found(
    committee_admin, other_committee_admin, springfield_member, invoiced, other_invoice
):
    own_slug = springfield_member.slug

    answers = [
        other_committee_admin.get(f"/portal/{own_slug}/invoices/{invoiced[1].number}/").status_code,
        other_committee_admin.get(f"/portal/{own_slug}/invoices/").status_code,
        other_committee_admin.get(f"/portal/{own_slug}/admins/").status_code,
        # C3: another member's invoice number under one's own member.
        committee_admin.get(f"/portal/{own_slug}/invoices/{other_invoice.number}/").status_code,
        committee_admin.get(f"/portal/{own_slug}/invoices/{other_invoice.number}/pdf/").status_code,
    ]

    assert answers == [404] * 5
    listing = committee_admin.get(f"/portal/{own_slug}/invoices/").content.decode()
    assert other_invoice.number not in listing


def test_renew_form_comes_filled_in_and_applies(
    committee_admin, springfield_member, invoiced, membership_type
):
    url = f"/portal/{springfield_member.slug}/membership/renew/"

    form = committee_admin.get(url).context["form"]
    with time_machine.travel(NOON):
        response = committee_admin.post(
            url,
            {
                "membership_type": form.initial["membership_type"],
                "communities": form.initial["communities"],
            },
        )

    assert response.status_code == 302, response.context["form"].errors
    renewal = Membership.objects.get(start=D(2027, 7, 1))
    assert renewal.status_on(D(2027, 7, 1)) == Status.PENDING


def test_c3_renewal_for_another_committees_community_is_refused(
    committee_admin, springfield_member, invoiced
):
    foreign = CommunityFactory(name="Elsewhere")

    response = committee_admin.post(
        f"/portal/{springfield_member.slug}/membership/renew/",
        {"membership_type": invoiced[0].membership_type_id, "communities": [foreign.pk]},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Membership.objects.count() == 1


def test_auto_renew_toggle(committee_admin, springfield_member, invoiced):
    membership = invoiced[0]

    committee_admin.post(
        f"/portal/{springfield_member.slug}/membership/{membership.pk}/auto-renew/",
        {"auto_renew": "1"},
    )

    membership.refresh_from_db()
    assert membership.auto_renew is True


def test_join_page_creates_an_application(public, public_user, membership_type, association):
    town = CommunityFactory(name="North Haverbrook")

    response = public.post(
        "/membership/join/",
        {
            "name": "North Haverbrook Friends",
            "kind": "committee",
            "community": town.slug,
            "membership_type": membership_type.pk,
        },
    )

    membership = Membership.objects.get()
    assert response.status_code == 302
    assert membership.member.admins.get() == public_user
    assert membership.status_on(D.today()) == Status.PENDING


def test_join_with_bad_input_explains_and_changes_nothing(public, membership_type):
    response = public.post("/membership/join/", {"name": "", "community": "nowhere"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Membership.objects.exists()


# --- Co-admins ---------------------------------------------------------------------------------


def test_c5_removing_a_coadmin_takes_effect_at_once(
    committee_admin, springfield_member, committee_admin_user
):
    helper = UserFactory(email="helper@springfield.example")
    springfield_member.admins.add(helper)
    helper_client = Client()
    helper_client.force_login(helper)
    page = f"/portal/{springfield_member.slug}/dashboard/"
    assert helper_client.get(page).status_code == 200

    committee_admin.post(f"/portal/{springfield_member.slug}/admins/{helper.pk}/remove/")

    assert helper_client.get(page).status_code == 404
    assert list(springfield_member.admins.all()) == [committee_admin_user]


def test_the_last_admin_cannot_leave(committee_admin, springfield_member, committee_admin_user):
    committee_admin.post(
        f"/portal/{springfield_member.slug}/admins/{committee_admin_user.pk}/remove/"
    )

    assert list(springfield_member.admins.all()) == [committee_admin_user]


def test_invite_sends_an_email_with_a_link(committee_admin, springfield_member):
    committee_admin.post(
        f"/portal/{springfield_member.slug}/admins/", {"email": "New.Person@Example.org"}
    )

    message = OutboxMessage.objects.get(template="members.coadmin_invitation")
    assert message.to == "new.person@example.org"
    assert "/membership/invitations/" in message.body


def _invite(springfield_member, committee_admin_user, email="friend@example.org"):
    return invite_coadmin(member=springfield_member, email=email, by=committee_admin_user)[1]


def test_b11_invitation_token_leaves_the_url_and_works_once(
    springfield_member, committee_admin_user, anonymous
):
    token = _invite(springfield_member, committee_admin_user)

    first = anonymous.get(f"/membership/invitations/{token}/")
    accept = anonymous.post(
        "/membership/invitations/accept/",
        {"full_name": "Fran Friend", "password": "a long and unusual passphrase 42"},
    )
    replay = Client().get(f"/membership/invitations/{token}/")

    assert first.status_code == 302
    assert first["Location"] == "/membership/invitations/accept/"
    assert accept.status_code == 302
    assert springfield_member.admins.filter(email="friend@example.org").exists()
    assert replay.status_code == 410
    assert "This invitation has been used" in replay.content.decode()


def test_b11_opening_an_invitation_link_spends_nothing(
    springfield_member, committee_admin_user, anonymous
):
    token = _invite(springfield_member, committee_admin_user)

    scanner = Client().get(f"/membership/invitations/{token}/", follow=True)
    person = anonymous.get(f"/membership/invitations/{token}/")

    assert scanner.status_code == 200  # the accept page, shown without accepting
    assert person.status_code == 302
    assert CoAdminInvitation.objects.get().accepted_at is None


def test_b11_expired_invitation_says_so(springfield_member, committee_admin_user, anonymous):
    token = _invite(springfield_member, committee_admin_user)

    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=8)):
        response = anonymous.get(f"/membership/invitations/{token}/")

    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert "Ask the committee admin who invited you" in response.content.decode()


def test_b11_an_unknown_invitation_link_says_so_in_words(anonymous):
    response = anonymous.get(f"/membership/invitations/{'x' * 43}/")

    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


def test_b11_staff_reading_the_outbox_never_see_a_live_invitation_link(
    springfield_member, committee_admin_user, staff, anonymous
):
    token = _invite(springfield_member, committee_admin_user)
    message = OutboxMessage.objects.get(template="members.coadmin_invitation")

    page = staff.get(f"/staff/outbox/{message.pk}/").content.decode()
    sent = delivered_body(message)
    copied = anonymous.get("/membership/invitations/••••••/")

    assert token not in page
    assert "/membership/invitations/••••••/" in page
    assert f"/membership/invitations/{token}/" in sent
    assert copied.status_code == 404
    assert "This invitation link does not work" in copied.content.decode()


def test_b11_token_is_long_and_only_its_hash_is_stored(springfield_member, committee_admin_user):
    token = _invite(springfield_member, committee_admin_user)

    invitation = CoAdminInvitation.objects.get()
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    assert token not in invitation.token_hash


def test_b11_invitation_for_another_address_is_refused(
    springfield_member, committee_admin_user, public, public_user
):
    token = _invite(springfield_member, committee_admin_user)

    public.get(f"/membership/invitations/{token}/")
    response = public.post("/membership/invitations/accept/", {}, follow=True)

    assert "sign in with that address" in response.content.decode()
    assert not springfield_member.admins.filter(pk=public_user.pk).exists()


def test_withdrawn_invitation_says_so(
    committee_admin, springfield_member, committee_admin_user, anonymous
):
    token = _invite(springfield_member, committee_admin_user)
    invitation = CoAdminInvitation.objects.get()

    committee_admin.post(
        f"/portal/{springfield_member.slug}/admins/invitations/{invitation.pk}/withdraw/"
    )

    response = anonymous.get(f"/membership/invitations/{token}/")

    assert response.status_code == 410
    assert "This invitation was withdrawn" in response.content.decode()


# --- Staff -------------------------------------------------------------------------------------


def _members(n, association):
    for i in range(n):
        member = MemberFactory(communities=[CommunityFactory()])
        membership = MembershipFactory(member=member)
        issue_invoice(member=member, membership=membership, lines=[("Dues", 1, "10")], by=SYSTEM)
        if i % 3 == 0:
            MembershipFactory(member=member, start=D(2025, 7, 1), end=D(2026, 6, 30))


@pytest.mark.parametrize("n", [10, 100])
def test_staff_list_queries_do_not_grow_with_members(
    staff, django_assert_num_queries, association, n
):
    _members(n, association)
    staff.get("/staff/members/")  # warm the session and association caches

    # Session, user, device; the stale-summary check; count, status counts, page rows, their
    # communities, the country filter's choices.
    with django_assert_num_queries(9):
        page = staff.get("/staff/members/?region=&q=")

    assert page.status_code == 200


@pytest.mark.parametrize("n", [10, 100])
def test_staff_status_filter_and_csv_queries_do_not_grow_with_members(
    staff, django_assert_num_queries, association, n
):
    # The filter and the export read the stored summary: no per-member status or balance.
    with time_machine.travel(NOON):
        _members(n, association)
        staff.get("/staff/members/")

        with django_assert_num_queries(9):
            page = staff.get("/staff/members/?status=current")
        with django_assert_num_queries(6):
            export = staff.get("/staff/members/export.csv?status=current")

    assert page.context["page"].paginator.count == n
    rows = export.content.decode().splitlines()[1:]
    assert len(rows) == n
    assert all(row.endswith(",Current,2027-06-30,10.00") for row in rows)


def test_staff_list_filters_and_counts(staff, association):
    current = MemberFactory(name="Alpha Current", communities=[CommunityFactory()])
    MembershipFactory(member=current)
    expired = MemberFactory(name="Beta Expired", communities=[CommunityFactory()])
    MembershipFactory(member=expired, start=D(2020, 7, 1), end=D(2021, 6, 30))
    MemberFactory(name="Gamma Never")

    with time_machine.travel(NOON):
        page = staff.get("/staff/members/?status=expired")

    rows = [m.name for m in page.context["page"].object_list]
    counts = {value: n for value, _label, n in page.context["counts"]}
    assert rows == ["Beta Expired"]
    assert (counts["current"], counts["expired"], counts["none"]) == (1, 1, 1)


def test_staff_exports_are_formula_safe(staff, association):
    MemberFactory(name='=HYPERLINK("http://evil")', communities=[CommunityFactory()])

    csv_text = staff.get("/staff/members/export.csv").content.decode()
    xlsx = staff.get("/staff/members/export.xlsx").content

    assert "'=HYPERLINK" in csv_text
    cell = load_workbook(io.BytesIO(xlsx)).active["A2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil")', "s")


def test_staff_approve_from_the_queue(staff, membership_type, association):
    application = MembershipFactory(membership_type=membership_type, approved_at=None)

    staff.post(f"/staff/membership/applications/{application.pk}/approve/", {"message": "Welcome"})

    application.refresh_from_db()
    assert application.approved_at is not None
    assert Invoice.objects.get(membership=application).total == Decimal("300.00")


def test_staff_records_a_payment_and_credits_the_rest(staff, invoiced):
    number = invoiced[1].number

    with time_machine.travel(NOON):
        staff.post(
            f"/staff/invoices/{number}/payments/",
            {"amount": "100", "method": "cheque", "received_on": "2026-08-01"},
        )
        staff.post(f"/staff/invoices/{number}/credit/", {"reason": "Hardship"})

    invoice = Invoice.objects.with_balance().get(number=number)
    assert (invoice.paid, invoice.credited, invoice.balance_due) == (
        Decimal("100"),
        Decimal("200"),
        Decimal("0"),
    )


def test_staff_overpayment_is_refused_with_a_message(staff, invoiced):
    number = invoiced[1].number

    response = staff.post(
        f"/staff/invoices/{number}/payments/",
        {"amount": "999", "method": "cheque", "received_on": "2026-08-01"},
        follow=True,
    )

    assert "still owed" in response.content.decode()
    assert not invoiced[1].payments.exists()


def test_staff_issue_invoice_form(staff, springfield_member, association):
    response = staff.post(
        f"/staff/members/{springfield_member.slug}/invoice/",
        {"description_0": "Conference table", "quantity_0": "2", "unit_price_0": "80"},
    )

    invoice = Invoice.objects.get()
    assert response["Location"] == f"/staff/invoices/{invoice.number}/"
    assert invoice.total == Decimal("160.00")


def test_bulk_mail_is_held_for_review_and_non_essential(staff, committee_admin_user, association):
    member = committee_admin_user.administered_members.get()
    MembershipFactory(member=member)

    with time_machine.travel(NOON):
        staff.post(
            "/staff/membership/mailing/",
            {"status": "current", "subject": "Conference", "body": "See you in Denver."},
        )

    message = OutboxMessage.objects.get(template="members.bulk_message")
    assert (message.to, message.state, message.transactional) == (
        committee_admin_user.email,
        OutboxMessage.State.HELD,
        False,
    )


def test_bulk_mail_to_a_program_reaches_members_who_reported_in_it(
    staff, committee_admin_user, other_committee_admin_user, association
):
    youth = committee_admin_user.administered_members.get()
    arts = other_committee_admin_user.administered_members.get()
    ActivityFactory(member=youth, sector="youth", kind="student_exchange", state="submitted")
    ActivityFactory(member=arts, sector="arts", kind="festival", state="verified")

    with time_machine.travel(NOON):
        staff.post(
            "/staff/membership/mailing/",
            {"program": "youth", "subject": "Summit", "body": "Delegates wanted."},
        )

    recipients = set(
        OutboxMessage.objects.filter(template="members.bulk_message").values_list("to", flat=True)
    )
    assert recipients == {committee_admin_user.email}


def test_staff_import_page_shows_rejections(staff, db):
    upload = io.BytesIO(b"name,community,country\nNobody,Atlantis,US\n")
    upload.name = "members.csv"

    response = staff.post("/staff/membership/import/", {"file": upload})

    text = response.content.decode()
    assert "0 imported, 1 rejected" in text
    assert "Atlantis" in text


def test_staff_import_refuses_a_binary_file(staff, db):
    upload = io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00")
    upload.name = "members.csv"

    response = staff.post("/staff/membership/import/", {"file": upload})

    assert "UTF-8 CSV" in response.content.decode()


def test_status_annotation_matches_member_status(association):
    member = MemberFactory()
    MembershipFactory(member=member, start=D(2025, 7, 1), end=D(2026, 6, 30))

    row = members_with_status(D(2026, 7, 15)).get(pk=member.pk)

    assert row.membership_status == Status.GRACE
