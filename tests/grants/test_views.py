"""The grants' pages through HTTP, by role: the lead committee writes and submits, the
partner signs from its account or its link, staff decide, publish, review reports and pay;
refused roles see nothing (404). Every list keeps its query count as it grows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.grants.helpers import draft, funded, open_call, pair_world, submitted
from twinning.core.authz import SYSTEM
from twinning.grants.models import Application, Report
from twinning.grants.services import (
    accept_proposal,
    approve_report,
    open_review,
    pay_tranche,
    publish_decisions,
    save_call,
    save_program,
)
from twinning.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_lead_committee_starts_writes_and_budgets_an_application():
    world = pair_world()
    lead = _client(world.lead_admin)

    response = lead.post(
        reverse("grants:application_start", kwargs={"slug": world.call.slug}),
        {
            "member": world.lead_member.pk,
            "community": world.lead_place.pk,
            "partners": [world.partner_place.pk],
            "title": "Water together",
        },
    )
    application = Application.objects.get(title="Water together")
    assert response.status_code == 302
    side = application.sides.get(is_lead=True)
    response = lead.post(
        reverse("grants:side_edit", kwargs={"pk": application.pk, "side_pk": side.pk}),
        {
            "currency": "USD",
            "participants": 5,
            "participant_plan": "Engineers",
            "lines": "Travel | 1000 | 800\nMaterials | 500",
        },
    )
    assert response.status_code == 302
    page = lead.get(application.get_absolute_url()).content.decode()
    assert "Travel: 800.00 / 1000.00 USD" in page
    assert "Materials: 500.00 / 500.00 USD" in page
    assert "not signed" in page


def test_bad_budget_lines_are_explained_and_change_nothing():
    world = pair_world()
    application = draft(world)
    side = application.sides.get(is_lead=True)

    response = _client(world.lead_admin).post(
        reverse("grants:side_edit", kwargs={"pk": application.pk, "side_pk": side.pk}),
        {"currency": "USD", "participants": 5, "lines": "Travel | lots"},
    )

    assert response.status_code == 200
    assert "the amounts must be numbers" in response.content.decode()
    assert side.lines.get().requested == Decimal("16000.00")


def test_the_partner_signs_from_its_account_and_the_lead_submits():
    world = pair_world()
    application = draft(world)
    lead_side, other = application.sides.order_by("-is_lead", "pk")

    _client(world.lead_admin).post(
        reverse("grants:side_sign", kwargs={"pk": application.pk, "side_pk": lead_side.pk})
    )
    refused = _client(world.lead_admin).post(
        reverse("grants:application_submit", kwargs={"pk": application.pk}), follow=True
    )
    assert "waiting for: Nakuru" in refused.content.decode()
    _client(world.partner_admin).post(
        reverse("grants:side_sign", kwargs={"pk": application.pk, "side_pk": other.pk})
    )
    _client(world.lead_admin).post(
        reverse("grants:application_submit", kwargs={"pk": application.pk})
    )

    application.refresh_from_db()
    assert application.state == "submitted"


def test_the_partner_may_not_edit_the_leads_side_nor_the_text():
    world = pair_world()
    application = draft(world)
    lead_side = application.sides.get(is_lead=True)
    partner = _client(world.partner_admin)

    assert partner.get(application.get_absolute_url()).status_code == 200
    assert (
        partner.get(
            reverse("grants:side_edit", kwargs={"pk": application.pk, "side_pk": lead_side.pk})
        ).status_code
        == 404
    )
    assert (
        partner.get(reverse("grants:application_edit", kwargs={"pk": application.pk})).status_code
        == 404
    )


def test_another_committee_sees_no_application(other_committee_admin):
    world = pair_world()
    application = draft(world)

    response = other_committee_admin.get(application.get_absolute_url())

    assert response.status_code == 404


def test_the_partner_signs_through_the_link_page():
    world = pair_world(partner_has_account=False)
    application = draft(world)
    other = application.sides.get(is_lead=False)
    _client(world.lead_admin).post(
        reverse("grants:side_send_link", kwargs={"pk": application.pk, "side_pk": other.pk})
    )
    link = OutboxMessage.objects.get(to="wanjiru@example.org").body.split("http://testserver")[-1]
    path = "/grants/sign/" + link.split("/grants/sign/")[1].split("/")[0] + "/"
    visitor = Client()

    page = visitor.get(path)
    response = visitor.post(
        path,
        {"signer_name": "Wanjiru", "content_hash": page.context["form"]["content_hash"].value()},
    )

    assert "You signed the application for Nakuru" in response.content.decode()
    assert visitor.get(path).status_code == 404
    assert page["Cache-Control"] and "no-store" in page["Cache-Control"]


def test_staff_decide_partially_with_a_reason_and_publish(staff):
    world = pair_world()
    application = submitted(world)
    open_review(call=world.call, by=SYSTEM)
    url = reverse("grants:staff_call_detail", kwargs={"slug": world.call.slug})
    assert "28320.00" in staff.get(url).content.decode()

    staff.post(
        reverse("grants:staff_decide", kwargs={"pk": application.pk}),
        {"funded": "yes", "amount": "25000", "reason": "Trimmed travel"},
    )
    staff.post(reverse("grants:staff_publish", kwargs={"slug": world.call.slug}))

    application.refresh_from_db()
    assert (application.state, application.awarded_amount) == ("funded", Decimal("25000.00"))
    assert OutboxMessage.objects.filter(template="grants.decision_funded").count() == 2


def test_a_side_reports_and_staff_approve_then_pay(staff):
    world = pair_world()
    grant = funded(world).grant
    report = grant.reports.get(kind="interim", side__is_lead=True)
    line = report.side.lines.get()

    _client(world.lead_admin).post(
        reverse("grants:report_edit", kwargs={"pk": report.pk}),
        {
            "narrative": "Visit done",
            "participants": 9,
            "outcomes": "Plan",
            f"line_{line.pk}": "900",
        },
    )
    staff.post(
        reverse("grants:staff_report_review", kwargs={"pk": report.pk}),
        {"action": "approve", "comment": ""},
    )
    page = staff.get(grant.get_absolute_url()).content.decode()

    report.refresh_from_db()
    assert report.state == Report.State.APPROVED
    assert "waiting for Nakuru" in page
    pdf = _client(world.lead_admin).get(reverse("grants:grant_agreement", kwargs={"pk": grant.pk}))
    assert pdf.content.startswith(b"%PDF")


def test_the_portfolio_exports_and_the_public_page_lists_funded_projects(staff, anonymous):
    world = pair_world()
    funded(world)

    csv = staff.get(reverse("grants:portfolio_csv")).content.decode("utf-8-sig")
    xlsx = staff.get(reverse("grants:portfolio_xlsx"))
    public = anonymous.get(reverse("grants:funded_list")).content.decode()

    assert "Clean water for Nakuru" not in csv  # the export names programs and communities
    assert "Lead Town; Nakuru" in csv and "KE-US" in csv
    assert xlsx.content[:2] == b"PK"
    assert "Clean water for Nakuru" in public and "<svg" in public


def test_the_call_page_computes_the_lump_sum(anonymous):
    world = pair_world()
    world.call.lump_sums.create(countries=2, participants=25, amount=Decimal("5000"))
    world.call.lump_sums.create(countries=2, participants=50, amount=Decimal("9000"))

    response = anonymous.get(
        reverse("grants:call_detail", kwargs={"slug": world.call.slug}),
        {"participants": 30, "countries": 2},
    )

    assert "Lump sum: 9000.00 USD" in response.content.decode()


def _batch(world, slug, n):
    """A new call of the world's program with n applications funded and published."""
    world.call = open_call(world.call.program, slug=slug)
    for i in range(n):
        submitted(world, f"Project {slug} {i}")
    open_review(call=world.call, by=SYSTEM)
    accept_proposal(call=world.call, by=SYSTEM)
    publish_decisions(call=world.call, by=SYSTEM)
    return world.call


def _count(client, url):
    client.get(reverse("core:home"))  # the menus are filled on a session's first page
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name", ["staff_call_list", "staff_grant_list", "portfolio", "portfolio_csv", "funded_list"]
)
def test_lists_keep_their_query_count_as_grants_grow(staff, name):
    world = pair_world()
    _batch(world, "a", 1)
    url = reverse(f"grants:{name}")
    before = _count(staff, url)

    _batch(world, "b", 3)

    assert _count(staff, url) == before


def test_the_funding_table_keeps_its_query_count_as_applications_grow(staff):
    world = pair_world()
    small = _batch(world, "a", 1)
    big = _batch(world, "b", 4)

    counts = [
        _count(staff, reverse("grants:staff_call_detail", kwargs={"slug": call.slug}))
        for call in (small, big)
    ]

    assert counts[0] == counts[1]


def test_a_committees_home_keeps_its_query_count():
    world = pair_world()
    client = _client(world.lead_admin)
    draft(world, "One")
    one = _count(client, reverse("grants:my_applications"))
    for i in range(4):
        draft(world, f"More {i}")

    assert _count(client, reverse("grants:my_applications")) == one


def test_the_funding_table_shows_the_funded_set_and_what_falls_out_with_the_reason(staff):
    world = pair_world()
    world.call.program.budget = Decimal(40000)
    world.call.program.save()
    submitted(world, "First project")
    submitted(world, "Second project")
    open_review(call=world.call, by=SYSTEM)
    url = reverse("grants:staff_call_detail", kwargs={"slug": world.call.slug})

    page = staff.get(url).content.decode()
    funded_set = staff.get(url, {"show": "funded"}).content.decode()
    falls_out = staff.get(url, {"show": "out"}).content.decode()

    assert "1 application is funded, 28320.00 USD in all." in page
    assert "1 application falls out" in page
    assert "asks 28320.00, only 11680.00 left" in falls_out
    shown = [
        {title for title in ("First project", "Second project") if title in part}
        for part in (funded_set, falls_out)
    ]
    assert len(shown[0]) == len(shown[1]) == 1 and shown[0] != shown[1]


def test_the_portfolio_groups_and_filters_by_the_parties_countries(staff):
    world = pair_world()
    funded(world)
    url = reverse("grants:portfolio")

    page = staff.get(url).content.decode()
    elsewhere = staff.get(url, {"countries": "CA-US"}).content.decode()

    assert "countries:KE-US" in page and "Clean water for Nakuru" in page
    assert "Clean water for Nakuru" not in elsewhere


def test_the_public_map_shows_a_newly_funded_partnership_at_once(anonymous):
    world = pair_world()
    funded(world)
    before = anonymous.get(reverse("grants:funded_list")).content.decode()
    world.partner_place.name = "Nakuru West"
    world.partner_place.save()

    after = anonymous.get(reverse("grants:funded_list")).content.decode()

    assert "Lead Town – Nakuru</title>" in before
    assert "Lead Town – Nakuru West</title>" in after


def test_the_funding_table_rows_escape_every_value_and_keep_each_decision_form(staff):
    world = pair_world()
    world.call.program.budget = Decimal(40000)
    world.call.program.save()
    first = submitted(world, "Water <script>alert(1)</script> & wells")
    second = submitted(world, "Second project")
    open_review(call=world.call, by=SYSTEM)
    staff.post(
        reverse("grants:staff_decide", kwargs={"pk": first.pk}),
        {"funded": "yes", "amount": "25000", "reason": "Trimmed <b>travel</b> & food"},
    )

    page = staff.get(reverse("grants:staff_call_detail", kwargs={"slug": world.call.slug}))
    body = page.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]

    assert "<script>" not in body and "<b>" not in body
    assert "Water &lt;script&gt;alert(1)&lt;/script&gt; &amp; wells</a>" in body
    assert "funded 25000.00 Trimmed &lt;b&gt;travel&lt;/b&gt; &amp; food" in body
    for application in (first, second):
        assert f'<a href="/grants/applications/{application.pk}/">' in body
        assert f'action="/staff/grants/applications/{application.pk}/decide/"' in body
        assert f'<select name="funded" id="funded-{application.pk}">' in body
    assert body.count('name="csrfmiddlewaretoken" value="') == 2
    assert '<option value="no" selected>' in body  # the one that falls out
    assert 'value="asks 28320.00, only 11680.00 left"' in body


def test_the_funding_table_follows_a_new_rate_budget_and_application_at_once(staff):
    world = pair_world()
    program = world.call.program
    program.budget = Decimal(40000)
    program.save()
    submitted(world, "First project")
    submitted(world, "Second project")
    open_review(call=world.call, by=SYSTEM)
    url = reverse("grants:staff_call_detail", kwargs={"slug": world.call.slug})
    pages = [staff.get(url).content.decode()]

    save_call(call=world.call, rates={"KES": Decimal("0.005")}, by=SYSTEM)  # KES side: 8,000
    pages.append(staff.get(url).content.decode())
    program.budget = Decimal(60000)
    save_program(program=program, by=SYSTEM)
    pages.append(staff.get(url).content.decode())
    submitted(world, "Third project")
    open_review(call=world.call, by=SYSTEM)
    pages.append(staff.get(url).content.decode())

    assert "1 application is funded, 28320.00 USD in all." in pages[0]
    assert "1 application is funded, 24000.00 USD in all." in pages[1]
    assert "2 applications are funded, 48000.00 USD in all." in pages[2]
    assert "1 application falls out" not in pages[2]
    assert "asks 24000.00, only 12000.00 left" in pages[3] and "Third project" in pages[3]


def test_the_portfolio_follows_a_payment_a_report_a_program_and_a_place_at_once(staff):
    world = pair_world()
    grant = funded(world).grant
    url = reverse("grants:portfolio")
    pages = [staff.get(url).content.decode()]

    pay_tranche(tranche=grant.tranches.get(number=1), by=SYSTEM)
    pages.append(staff.get(url).content.decode())
    report = grant.reports.filter(kind=Report.Kind.INTERIM).first()
    Report.objects.filter(pk=report.pk).update(state=Report.State.SUBMITTED, participants=7)
    approve_report(report=report, comment="", by=SYSTEM)
    pages.append(staff.get(url).content.decode())
    program = world.call.program
    program.name = "Renamed program"
    save_program(program=program, by=SYSTEM)
    world.partner_place.name = "Nakuru West"
    world.partner_place.save()
    pages.append(staff.get(url).content.decode())

    assert "paid 0, 0 participants" in pages[0]
    assert "paid 0, 0 participants" not in pages[1]
    assert "7 participants" in pages[2]
    assert "program:Renamed program" in pages[3]
    assert "Lead Town – Nakuru West</title>" in pages[3]
