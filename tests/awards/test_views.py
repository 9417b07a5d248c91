"""The awards' pages as each role sees them (refused roles included), with query-count guards
on the lists: the committee's awards page, starting and submitting a nomination, the third
party's form, the confirmation page, the staff pages and the public archive."""

import html
import re

import pytest
from django.utils import timezone

from tests.awards.conftest import close
from tests.awards.helpers import SMALL, VOLUNTEER, category, eligible_member, png, submitted
from twinning.awards.models import Honour, Nomination
from twinning.awards.services import announce_results, decide_nomination, open_judging
from twinning.core.authz import SYSTEM
from twinning.outbox.models import OutboxMessage
from twinning.review.interface import add_reviewer, assign_reviews, items_for


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


@pytest.mark.django_db
def test_the_committee_page_explains_eligibility_per_category(  # noqa: PLR0917 - pytest fixtures
    cycle, springfield_member, eligible, committee_admin, other_committee_admin, public
):
    url = f"/awards/portal/{springfield_member.slug}/"

    page = committee_admin.get(url)

    assert "Springfield has 25,000 people: in this category's bracket" in _text(page)
    assert "Springfield has 25,000 people; this category is for communities of 25,001" in _text(
        page
    )
    assert other_committee_admin.get(url).status_code == 404
    assert public.get(url).status_code == 404


@pytest.mark.django_db
def test_a_committee_admin_starts_fills_and_submits_a_nomination(
    cycle, springfield_member, eligible, committee_admin
):
    cat = category(cycle, SMALL)
    start = f"/awards/portal/{springfield_member.slug}/categories/{cat.pk}/start/"

    response = committee_admin.post(
        start, {"community": springfield_member.communities.get().pk, "title": "Open doors"}
    )
    nomination = Nomination.objects.get()
    data = {"title": "Open doors", "story": "We opened our doors.", "partner": eligible.pk}
    data.update({f"answer_{i}": "Yes." for i in range(len(cat.question_list()))})
    committee_admin.post(f"/awards/nominations/{nomination.pk}/", data)
    committee_admin.post(f"/awards/nominations/{nomination.pk}/attach/", {"upload": png()})
    submitted_page = committee_admin.post(
        f"/awards/nominations/{nomination.pk}/submit/", follow=True
    )

    assert response.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.state, nomination.partner) == ("submitted", eligible)
    assert nomination.attachments.count() == 1
    assert "Submitted. Good luck!" in _text(submitted_page)


@pytest.mark.django_db
def test_submitting_an_incomplete_draft_says_what_is_missing(
    cycle, springfield_member, eligible, committee_admin
):
    cat = category(cycle, SMALL)
    committee_admin.post(
        f"/awards/portal/{springfield_member.slug}/categories/{cat.pk}/start/",
        {"community": springfield_member.communities.get().pk, "title": "Open doors"},
    )
    nomination = Nomination.objects.get()

    page = committee_admin.post(f"/awards/nominations/{nomination.pk}/submit/", follow=True)

    assert "Tell the story of the nomination." in _text(page)
    assert Nomination.objects.get().state == "draft"


@pytest.mark.django_db
def test_a_start_page_for_an_ineligible_committee_explains_and_refuses(
    cycle, springfield_member, committee_admin
):
    cat = category(cycle, SMALL)
    url = f"/awards/portal/{springfield_member.slug}/categories/{cat.pk}/start/"

    page = committee_admin.post(
        url, {"community": springfield_member.communities.get().pk, "title": "X"}
    )

    assert page.status_code == 200
    assert "formally recognised" in _text(page)
    assert not Nomination.objects.exists()


@pytest.mark.django_db
def test_another_committee_nominates_a_volunteer_and_springfield_confirms_by_link(  # noqa: PLR0917 - pytest fixtures
    cycle, springfield_member, eligible, committee_admin_user, other_committee_admin, anonymous
):
    cat = category(cycle, VOLUNTEER)
    other_committee_admin.post(
        "/awards/nominate/",
        {
            "category": cat.pk,
            "member": springfield_member.pk,
            "nominee_name": "Ana Volunteer",
            "nominator": "Shelbyville Twinning Association",
            "title": "Forty years of letters",
        },
    )
    nomination = Nomination.objects.get()
    data = {"title": "Forty years of letters", "story": "Letters.", "nominee_name": "Ana"}
    data.update({f"answer_{i}": "Yes." for i in range(len(cat.question_list()))})
    other_committee_admin.post(f"/awards/nominations/{nomination.pk}/", data)
    other_committee_admin.post(f"/awards/nominations/{nomination.pk}/submit/")
    message = OutboxMessage.objects.get(template="awards.confirm_request")
    link = re.search(r"/awards/confirm/[^/]+/", next(iter(message.secret_links.values()))).group(0)

    shown = anonymous.get(link)
    confirmed = anonymous.post(link)
    again = anonymous.get(link)

    assert "Shelbyville Twinning Association nominated Ana" in _text(shown)
    assert confirmed.status_code == 302
    assert Nomination.objects.get().state == "submitted"
    assert again.status_code == 410
    assert "This link has been used" in _text(again)


@pytest.mark.django_db
def test_a_public_user_may_not_nominate_a_person(cycle, public):
    assert public.get("/awards/nominate/").status_code == 404


@pytest.mark.django_db
def test_files_are_served_to_the_committee_and_judges_only(  # noqa: PLR0917 - pytest fixtures
    cycle,
    springfield_member,
    eligible,
    committee_admin,
    committee_admin_user,
    other_committee_admin,
):
    from django.test import Client

    from tests.factories import UserFactory
    from twinning.awards.services import add_attachment

    nomination = submitted(category(cycle, SMALL), springfield_member, by=committee_admin_user)
    Nomination.objects.filter(pk=nomination.pk).update(state="draft")
    photo = add_attachment(nomination=nomination, upload=png(), by=committee_admin_user)
    Nomination.objects.filter(pk=nomination.pk).update(state="submitted")
    close(cycle)
    cat = category(cycle, SMALL)
    open_judging(category=cat, by=SYSTEM)
    cat.refresh_from_db()
    judge = UserFactory()
    add_reviewer(round=cat.round, user=judge, by=SYSTEM)
    assign_reviews(round=cat.round, by=SYSTEM)
    judge_client = Client()
    judge_client.force_login(judge)
    url = f"/awards/files/{photo.pk}/thumb/"

    assert committee_admin.get(url)["Content-Type"] == "image/webp"
    assert judge_client.get(url).status_code == 200
    assert other_committee_admin.get(url).status_code == 404


@pytest.mark.django_db
def test_staff_open_judging_rank_decide_and_announce_through_the_pages(
    cycle, staff, staff_user, django_assert_max_num_queries
):
    cat = category(cycle, SMALL)
    nominations = [submitted(cat, eligible_member()) for _ in range(3)]
    close(cycle)
    base = f"/awards/staff/{cycle.year}/{cat.slug}/"

    staff.post(f"{base}judging/")
    cat.refresh_from_db()
    item = items_for(cat.round, nominations)[nominations[0].pk]
    staff.post(f"{base}ranking/{item.pk}/decide/", {"outcome": "winner"})
    ranking = staff.get(f"{base}ranking/")
    announced = staff.post(f"/awards/staff/{cycle.year}/announce/", follow=True)

    assert cat.round.state == "open"
    assert "Winner" in _text(ranking)
    assert "held in the outbox" not in _text(ranking)
    assert "wait in the outbox for your review" in _text(announced)
    assert Honour.objects.get().nomination == nominations[0]


@pytest.mark.django_db
def test_ranking_rows_link_each_nomination_show_its_committee_and_select_its_decision(cycle, staff):
    cat = category(cycle, SMALL)
    tricky = eligible_member(name='Friends of "Kraków" <b>')
    nominations = [
        submitted(cat, tricky, title="<script>alert(1)</script> & more"),
        submitted(cat, eligible_member()),
    ]
    close(cycle)
    base = f"/awards/staff/{cycle.year}/{cat.slug}/"
    staff.post(f"{base}judging/")
    cat.refresh_from_db()
    items = items_for(cat.round, nominations)
    staff.post(f"{base}ranking/{items[nominations[0].pk].pk}/decide/", {"outcome": "winner"})

    page = staff.get(f"{base}ranking/").content.decode()

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "Friends of &quot;Kraków&quot; &lt;b&gt;" in page
    assert f'href="/awards/nominations/{nominations[0].pk}/"' in page
    first = items[nominations[0].pk].pk
    assert f'action="{base}ranking/{first}/decide/"' in page
    assert re.search(
        rf'<select name="outcome" id="outcome-{first}">.*?'
        r'<option value="winner" selected>',
        page,
    )
    second = items[nominations[1].pk].pk
    assert not re.search(rf'id="outcome-{second}">[^/]*? selected>', page)
    assert page.count('name="csrfmiddlewaretoken"') >= 2


@pytest.mark.django_db
def test_ranking_rows_have_no_decision_form_once_the_results_are_announced(cycle, staff):
    cat = category(cycle, SMALL)
    nomination = submitted(cat, eligible_member())
    close(cycle)
    base = f"/awards/staff/{cycle.year}/{cat.slug}/"
    staff.post(f"{base}judging/")
    cat.refresh_from_db()
    item = items_for(cat.round, [nomination])[nomination.pk]
    staff.post(f"{base}ranking/{item.pk}/decide/", {"outcome": "winner"})
    staff.post(f"/awards/staff/{cycle.year}/announce/")

    page = staff.get(f"{base}ranking/").content.decode()

    assert "<strong>Winner</strong>" in page
    assert 'name="outcome"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "client_name", ["anonymous", "public", "committee_admin", "staff_without_otp"]
)
def test_staff_pages_refuse_other_roles(request, cycle, client_name):
    client = request.getfixturevalue(client_name)
    cat = category(cycle, SMALL)

    pages = [
        client.get("/awards/staff/"),
        client.get(f"/awards/staff/{cycle.year}/"),
        client.get(f"/awards/staff/{cycle.year}/{cat.slug}/ranking/"),
        client.post(f"/awards/staff/{cycle.year}/announce/"),
    ]

    assert {page.status_code for page in pages} <= {302, 404}
    assert cycle.announced_at is None


@pytest.mark.django_db
def test_staff_create_a_cycle_with_the_default_categories(staff):
    response = staff.post(
        "/awards/staff/",
        {"year": 2030, "opens_at": "2030-01-01T09:00", "closes_at": "2030-03-01T17:00"},
    )

    assert response.status_code == 302
    assert staff.get("/awards/staff/2030/").context["categories"].__len__() == 11


# --- Query-count guards on the lists --------------------------------------------------------


def _announced_archive(n: int, first: int = 2010) -> None:
    from tests.awards.helpers import make_cycle

    for year in range(first, first + n):
        past = make_cycle(year)
        for k in range(3):
            Honour.objects.create(
                cycle=past,
                year=year,
                category=f"Category {k}",
                outcome="winner",
                committee="C",
                community_name=f"Town {k}",
                title=f"Work {year}-{k}",
            )
        past.announced_at = timezone.now()
        past.save()


@pytest.mark.django_db
def test_the_archive_costs_the_same_for_few_and_many_years(
    anonymous, django_assert_num_queries, django_assert_max_num_queries
):
    _announced_archive(2)
    anonymous.get("/awards/winners/")
    with django_assert_max_num_queries(50) as few:
        anonymous.get("/awards/winners/")
    _announced_archive(5, first=2012)
    with django_assert_num_queries(len(few.captured_queries)):
        page = anonymous.get("/awards/winners/?year=2012")

    assert "Work 2012-1" in _text(page)
    assert "Work 2011-1" not in _text(page)


@pytest.mark.django_db
def test_a_winner_page_tells_the_story(anonymous):
    _announced_archive(1)
    honour = Honour.objects.first()

    page = anonymous.get(f"/awards/winners/{honour.pk}/")

    assert honour.title in _text(page)


def _staff_lists(staff, cycle, cat) -> list:
    return [
        f"/awards/staff/{cycle.year}/",
        f"/awards/staff/{cycle.year}/{cat.slug}/",
        f"/awards/staff/{cycle.year}/{cat.slug}/ranking/",
    ]


@pytest.mark.django_db
def test_staff_lists_cost_the_same_for_3_and_12_nominations(
    cycle, staff, django_assert_num_queries, django_assert_max_num_queries
):
    cat = category(cycle, SMALL)
    for _ in range(3):
        submitted(cat, eligible_member())
    close(cycle)
    open_judging(category=cat, by=SYSTEM)
    cat.refresh_from_db()
    for n in range(3):
        add_reviewer(round=cat.round, user=_user(n), by=SYSTEM)
    assign_reviews(round=cat.round, by=SYSTEM)
    counts = {}
    for url in _staff_lists(staff, cycle, cat):
        staff.get(url)
        with django_assert_max_num_queries(100) as captured:
            staff.get(url)
        counts[url] = len(captured.captured_queries)
    cycle.closes_at = timezone.now() + timezone.timedelta(days=1)
    cycle.save()
    for _ in range(9):
        submitted(cat, eligible_member())
    close(cycle)
    open_judging(category=cat, by=SYSTEM)
    assign_reviews(round=cat.round, by=SYSTEM)

    for url, expected in counts.items():
        staff.get(url)
        with django_assert_num_queries(expected):
            staff.get(url)


def _user(n):
    from tests.factories import UserFactory

    return UserFactory(email=f"judge{n}@example.org")


@pytest.mark.django_db
def test_the_committee_page_costs_the_same_for_few_and_many_nominations(  # noqa: PLR0917 - pytest fixtures
    cycle,
    springfield_member,
    eligible,
    committee_admin,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    url = f"/awards/portal/{springfield_member.slug}/"
    committee_admin.get(url)
    with django_assert_max_num_queries(200) as few:
        committee_admin.get(url)
    for slug in (SMALL, VOLUNTEER):
        submitted(category(cycle, slug), springfield_member)

    with django_assert_num_queries(len(few.captured_queries)):
        committee_admin.get(url)


@pytest.mark.django_db
def test_announcement_decisions_stay_secret_from_committees_until_announced(  # noqa: PLR0917 - pytest fixtures
    cycle, springfield_member, eligible, committee_admin, committee_admin_user, staff_user
):
    cat = category(cycle, SMALL)
    nomination = submitted(cat, springfield_member, by=committee_admin_user)
    close(cycle)
    open_judging(category=cat, by=SYSTEM)
    cat.refresh_from_db()
    item = items_for(cat.round, [nomination])[nomination.pk]
    decide_nomination(category=cat, item=item, outcome="winner", by=staff_user)

    before = committee_admin.get(f"/awards/nominations/{nomination.pk}/")
    announce_results(cycle=cycle, by=staff_user)
    after = committee_admin.get(f"/awards/nominations/{nomination.pk}/")

    assert "Winner" not in _text(before)
    assert "Winner: Best Overall Program" in _text(after)
