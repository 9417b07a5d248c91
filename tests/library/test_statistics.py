"""Staff's download statistics: per resource and per member organisation (who never opened
anything), on the page and in CSV and XLSX."""

import io

import pytest
from openpyxl import load_workbook

from tests.conftest import _client_for
from tests.library.helpers import committee, link
from twinning.library.models import Resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def usage():
    handbook = link("Board handbook", access=Resource.Access.MEMBERS)
    link("Unread guide")
    _, reader = committee("Springfield Sister Cities", "admin@springfield.example")
    committee("Quiet Committee", "admin@quiet.example")
    client = _client_for(reader)
    client.get(f"/library/{handbook.slug}/v1/open/")
    client.get(f"/library/{handbook.slug}/v1/open/")
    return handbook


def test_staff_see_downloads_per_resource_and_per_member(staff, usage):
    response = staff.get("/staff/library/downloads/")

    rows = {r.title: r for r in response.context["resources"]}
    members = {m.name: m for m in response.context["members"]}
    assert (rows["Board handbook"].download_count, rows["Board handbook"].people) == (2, 1)
    assert rows["Unread guide"].download_count == 0
    assert members["Springfield Sister Cities"].download_count == 2
    assert members["Quiet Committee"].download_count == 0
    assert next(iter(members)) == "Quiet Committee"  # those who never open anything come first
    assert "never opened anything" in response.content.decode()


def test_the_csv_per_member_lists_every_organisation_with_its_downloads(staff, usage):
    response = staff.get("/staff/library/downloads.csv?per=member")

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Member organisation,Downloads,Resources opened,Last"
    assert lines[1].startswith("Quiet Committee,0,0,")
    assert any(line.startswith("Springfield Sister Cities,2,1,") for line in lines)


def test_the_xlsx_has_a_sheet_per_resource_and_per_member(staff, usage):
    response = staff.get("/staff/library/downloads.xlsx")

    workbook = load_workbook(io.BytesIO(response.content))
    per_resource, per_member = workbook.worksheets
    assert [c.value for c in next(per_resource.iter_rows(min_row=2, max_row=2))][:4] == [
        "Board handbook",
        "Members in good standing",
        "en",
        2,
    ]
    assert per_member.max_row == 3
