"""Staff import past years' winners from a CSV: a preview first (nothing written), every
rejected row with its reason, nothing imported while a row is rejected unless staff choose to
import the valid rows, one audit entry."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.awards.helpers import make_cycle
from tests.factories import CommunityFactory
from twinning.awards.imports import MAX_BYTES
from twinning.awards.models import Honour
from twinning.core.dates import association_today
from twinning.core.models import ActivityLog

URL = "/awards/staff/import/"
HEADER = "year,category,community,country,outcome,committee,nominee,title,story,partner\n"
GOOD = "2019,Youth and Education,Springfield,US,winner,,,Open doors,We opened doors.,Kyoto\n"


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def _csv(body: str, header: str = HEADER, name: str = "winners.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (header + body).encode(), "text/csv")


def _preview(client, body: str, header: str = HEADER):
    return client.post(URL, {"file": _csv(body, header)})


def _confirm(client, preview, skip: bool = False):
    form = preview.context["import_form"]
    data = {"text": form.initial["text"], "source": form.initial["source"]}
    if skip:
        data["skip_rejected"] = "on"
    return client.post(URL, data, follow=True)


def _rejections(response) -> list[tuple[int, str]]:
    return response.context["check"].rejected


@pytest.mark.django_db
def test_the_preview_shows_the_rows_and_writes_nothing(staff, springfield_member):
    page = _preview(staff, GOOD)

    assert "Preview: 1 row to import, 0 rejected" in _text(page)
    assert "Springfield Sister Cities" in _text(page)
    assert Honour.objects.count() == 0


@pytest.mark.django_db
def test_staff_import_a_checked_file_into_the_archive(staff, springfield_member, anonymous):
    imported = _confirm(staff, _preview(staff, GOOD))

    honour = Honour.objects.get()
    assert "1 past honours imported." in _text(imported)
    assert (honour.year, honour.cycle, honour.member) == (2019, None, springfield_member)
    assert (honour.title, honour.story, honour.partner_name) == (
        "Open doors",
        "We opened doors.",
        "Kyoto",
    )
    assert "Open doors" in _text(anonymous.get("/awards/winners/"))
    assert ActivityLog.objects.filter(action="awards.archive.imported").get().data["imported"] == 1


@pytest.mark.django_db
def test_nothing_is_imported_while_a_row_is_rejected(staff, springfield_member):
    preview = _preview(staff, GOOD + "2019,Arts,Atlantis,US,winner,,,,,\n")

    refused = _confirm(staff, preview)

    assert "1 row is rejected: nothing is imported." in _text(refused)
    assert Honour.objects.count() == 0
    assert not ActivityLog.objects.filter(action="awards.archive.imported").exists()


@pytest.mark.django_db
def test_staff_may_import_the_valid_rows_and_leave_out_the_rejected(staff, springfield_member):
    preview = _preview(staff, GOOD + "2019,Arts,Atlantis,US,winner,,,,,\n")

    _confirm(staff, preview, skip=True)

    assert list(Honour.objects.values_list("title", flat=True)) == ["Open doors"]
    entry = ActivityLog.objects.get(action="awards.archive.imported")
    assert (entry.data["imported"], entry.data["rejected"]) == (1, 1)


@pytest.mark.django_db
def test_an_unknown_community_is_rejected(staff, springfield_member):
    page = _preview(staff, "2019,Arts,Atlantis,US,winner,,,,,\n")

    assert _rejections(page) == [(2, "No community “Atlantis” in US in the registry.")]


@pytest.mark.django_db
def test_a_community_without_one_committee_needs_the_committee_column(staff):
    CommunityFactory(name="Lonely Town", country__code="FR", country__name="France")

    page = _preview(staff, "2019,Arts,Lonely Town,FR,winner,,,,,\n")

    assert _rejections(page) == [
        (2, "Lonely Town has 0 member committees: name one in the committee column.")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "reason"),
    [
        ("last year", "Year “last year” is not a year like 2019."),
        ("2999", "Year 2999 is not a past year (1900 to {this_year})."),
        ("1850", "Year 1850 is not a past year (1900 to {this_year})."),
        ("2024", "2024 has a cycle on the platform: its winners come from the announcement."),
    ],
)
def test_a_bad_year_is_rejected(staff, springfield_member, year, reason):
    make_cycle(2024, open=False)

    page = _preview(staff, f"{year},Arts,Springfield,US,winner,,,,,\n")

    assert _rejections(page) == [(2, reason.format(this_year=association_today().year))]


@pytest.mark.django_db
def test_an_honour_already_in_the_archive_is_rejected(staff, springfield_member):
    _confirm(staff, _preview(staff, GOOD))

    page = _preview(staff, GOOD)

    assert _rejections(page) == [(2, "This honour is already in the archive.")]


@pytest.mark.django_db
def test_a_row_repeated_in_the_file_is_rejected(staff, springfield_member):
    page = _preview(staff, GOOD + GOOD.replace("winner", "Honourable mention"))

    assert _rejections(page) == [(3, "The same honour as line 2.")]


@pytest.mark.django_db
def test_a_header_without_a_required_column_refuses_the_file(staff, springfield_member):
    page = _preview(
        staff, "2019,Arts,Springfield,winner\n", header="year,category,community,outcome\n"
    )

    assert "The header row lacks the columns: country." in _text(page)
    assert page.context["check"] is None


@pytest.mark.django_db
def test_a_row_missing_a_required_value_is_rejected(staff, springfield_member):
    page = _preview(staff, "2019,,Springfield,US,,,,,,\n")

    assert _rejections(page) == [(2, "Missing: category, outcome.")]


@pytest.mark.django_db
def test_an_unknown_outcome_is_rejected(staff, springfield_member):
    page = _preview(staff, "2019,Arts,Springfield,US,first prize,,,,,\n")

    assert _rejections(page) == [(2, "Outcome “first prize” must be winner or honourable mention.")]


@pytest.mark.django_db
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_rejected(staff, springfield_member):
    page = _preview(staff, '2019,Arts,Springfield,US,winner,,,"=HYPERLINK(""http://x"")",,\n')

    assert _rejections(page) == [
        (2, "title start with =, +, -, @ or a tab, which a spreadsheet runs as a formula.")
    ]


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused(staff, springfield_member):
    upload = SimpleUploadedFile("w.csv", (HEADER + GOOD).replace("Open", "Öpen").encode("latin-1"))

    page = staff.post(URL, {"file": upload})

    assert "Upload a UTF-8 CSV file of at most 1 MB." in _text(page)
    assert page.context["check"] is None


@pytest.mark.django_db
def test_a_file_over_1_mb_is_refused(staff, springfield_member):
    page = staff.post(URL, {"file": _csv(GOOD * (MAX_BYTES // len(GOOD) + 1))})

    assert "Upload a UTF-8 CSV file of at most 1 MB." in _text(page)
    assert Honour.objects.count() == 0


@pytest.mark.django_db
def test_the_awards_staff_home_links_the_import(staff):
    page = staff.get("/awards/staff/")

    assert 'href="/awards/staff/import/"' in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "client_name", ["anonymous", "public", "committee_admin", "staff_without_otp"]
)
def test_the_import_refuses_other_roles(request, springfield_member, client_name):
    client = request.getfixturevalue(client_name)

    pages = [
        client.get(URL),
        client.post(URL, {"file": _csv(GOOD)}),
        client.post(URL, {"text": HEADER + GOOD, "skip_rejected": "on"}),
    ]

    assert {page.status_code for page in pages} <= {302, 404}
    assert Honour.objects.count() == 0
