"""The helpers every app shares live in core, one copy each (issue 7, section 2): the
association's calendar, absolute URLs, distances, formula-safe spreadsheets, the form-error
helper and the field template. The last test fails when an app takes one of them from another
app again."""

import ast
import csv
import datetime
import io
from pathlib import Path

import pytest
import time_machine
from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import clear_script_prefix, resolve, reverse, set_script_prefix
from openpyxl import load_workbook

from twinning.core.dates import add_months, association_date, association_today
from twinning.core.exports import Sheet, csv_lines, csv_text, safe_cell, xlsx_bytes
from twinning.core.forms import DateInput, add_service_error
from twinning.core.geo import haversine_km
from twinning.core.models import Association
from twinning.core.reverse import absolute_url
from twinning.core.services import ASSOCIATION_CACHE_KEY

ROOT = Path(__file__).resolve().parents[2] / "twinning"


def _set_zone(name: str) -> None:
    association = Association.load()
    association.time_zone = name
    association.save()
    cache.delete(ASSOCIATION_CACHE_KEY)


# --- Today in the association's time zone -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Tokyo", datetime.date(2025, 3, 15)),  # 08:30 the next morning there
        ("America/New_York", datetime.date(2025, 3, 14)),  # 19:30 the same evening
        ("UTC", datetime.date(2025, 3, 14)),
    ],
)
def test_today_is_the_associations_day_whatever_zone_is_active(zone, expected):
    _set_zone(zone)

    with time_machine.travel(datetime.datetime(2025, 3, 14, 23, 30, tzinfo=datetime.UTC)):
        assert association_today() == expected


@pytest.mark.django_db
def test_a_moment_is_dated_in_the_associations_calendar():
    _set_zone("Asia/Tokyo")

    moment = datetime.datetime(2025, 3, 14, 23, 30, tzinfo=datetime.UTC)

    assert association_date(moment) == datetime.date(2025, 3, 15)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2025, 11, 15), 3, datetime.date(2026, 2, 15)),
        (datetime.date(2025, 3, 31), -1, datetime.date(2025, 2, 28)),
        (datetime.date(2025, 6, 30), 12, datetime.date(2026, 6, 30)),
        (datetime.date(2025, 6, 30), 0, datetime.date(2025, 6, 30)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


# --- Absolute URLs ----------------------------------------------------------------------------


def test_absolute_url_keeps_the_path_prefix_of_site_url(settings):
    settings.SITE_URL = "https://x.org/twinning"

    assert absolute_url("/communities/") == "https://x.org/twinning/communities/"
    assert absolute_url(reverse("core:healthz")) == "https://x.org/twinning/healthz"


def test_absolute_url_takes_a_trailing_slash_on_site_url_once(settings):
    settings.SITE_URL = "https://x.org/twinning/"

    assert absolute_url("/communities/") == "https://x.org/twinning/communities/"


def test_absolute_url_built_in_a_request_under_the_prefix_names_it_once(settings):
    """Served under /twinning, reverse() already starts with the prefix: the link is the
    same as one a worker builds."""
    settings.SITE_URL = "https://x.org/twinning"
    set_script_prefix("/twinning/")
    try:
        path = reverse("core:healthz")
        assert path == "/twinning/healthz"
        assert absolute_url(path) == "https://x.org/twinning/healthz"
    finally:
        clear_script_prefix()


def test_absolute_url_on_a_site_at_the_root(settings):
    settings.SITE_URL = "https://twinning.example.org"

    assert absolute_url("/healthz") == "https://twinning.example.org/healthz"


def test_an_unsubscribe_link_in_a_mail_keeps_the_prefix(settings):
    from twinning.outbox.models import OutboxMessage
    from twinning.outbox.services import unsubscribe_url

    settings.SITE_URL = "https://x.org/twinning"

    link = unsubscribe_url(OutboxMessage(pk=42))

    assert link.startswith("https://x.org/twinning/")
    assert resolve(link.removeprefix("https://x.org/twinning")).url_name == "unsubscribe"


# --- Distances ---------------------------------------------------------------------------------


def test_haversine_london_to_paris():
    assert haversine_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(343.5, abs=1)


def test_haversine_of_a_point_to_itself_and_across_the_date_line():
    assert haversine_km(10.0, 20.0, 10.0, 20.0) == 0
    assert haversine_km(0.0, 179.5, 0.0, -179.5) == pytest.approx(111.2, abs=0.5)


# --- Formula-safe CSV and XLSX -----------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\0"])
def test_safe_cell_prefixes_every_formula_start(start):
    assert safe_cell(f"{start}cmd") == f"'{start}cmd"


def test_safe_cell_leaves_numbers_and_plain_text_alone():
    assert (safe_cell(-3.5), safe_cell(None), safe_cell("Lyon")) == (-3.5, None, "Lyon")


def test_csv_cells_are_formula_safe_and_none_is_empty():
    text = csv_text(["name", "count"], [['=HYPERLINK("http://evil")', 3], [None, -2]])

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["name", "count"], ['\'=HYPERLINK("http://evil")', "3"], ["", "-2"]]


def test_csv_lines_stream_one_line_per_row():
    lines = list(csv_lines(["a"], [["x"], ["y"]], bom=False))

    assert lines == ["a\r\n", "x\r\n", "y\r\n"]


def test_xlsx_text_is_never_a_formula_and_numbers_stay_numbers():
    data = xlsx_bytes(
        [
            Sheet(
                title="Members: 2025/26 [all]",
                header=["name", "amount"],
                rows=[["=1+1", 12.5], ["bell\x07", 3]],
                number_formats={1: "#,##0.00"},
            )
        ]
    )

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Members 202526 all"
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("=1+1", "s")
    assert sheet["A3"].value == "bell"
    assert (sheet["B2"].value, sheet["B2"].number_format) == (12.5, "#,##0.00")


# --- Forms: the service-error helper and the one field template ---------------------------------


class _Form(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the passport.")
    agree = forms.BooleanField(label="I agree", required=False)
    colours = forms.MultipleChoiceField(
        label="Colours",
        required=False,
        choices=[("r", "Red"), ("g", "Green")],
        widget=forms.CheckboxSelectMultiple,
    )
    day = forms.DateField(label="Day", required=False, widget=DateInput)


def test_a_keyed_service_error_lands_on_its_field_and_the_rest_on_the_form():
    form = _Form(data={"name": "Ana"})
    assert form.is_valid()

    add_service_error(form, ValidationError({"name": "Taken.", "elsewhere": "Closed."}))
    add_service_error(form, ValidationError("Try again later."))

    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Closed.", "Try again later."]


def test_the_field_template_labels_describes_and_reports_each_kind_of_field():
    form = _Form(data={"name": ""}, initial={"day": datetime.date(2025, 3, 4)})
    form.is_valid()

    html = "".join(render_to_string("components/field.html", {"field": field}) for field in form)

    assert '<div class="field field--invalid">' in html
    assert '<label for="id_name">Name</label>' in html
    assert '<p class="field__help" id="id_name_helptext">As on the passport.</p>' in html
    assert 'id="id_name_error"' in html and "This field is required." in html
    assert '<input type="checkbox" name="agree"' in html
    assert '<label for="id_agree">I agree</label>' in html
    assert "<legend>Colours</legend>" in html
    assert 'type="date" name="day"' in html


def test_the_date_picker_always_shows_an_iso_date():
    html = DateInput().render("day", datetime.date(2025, 3, 4))

    assert 'value="2025-03-04"' in html


# --- One copy: no app takes a shared helper from another app -----------------------------------

SHARED = {
    "association_today",
    "add_months",
    "absolute_url",
    "site_url",
    "haversine_km",
    "distance_km",
    "safe_cell",
    "add_service_error",
    "DateInput",
    "DateTimeInput",
    "bar_chart_svg",
    "is_staff",
    "is_verified_staff",
    "NotAllowed",
}


def _imports_of_shared_helpers() -> list[str]:
    found = []
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if not node.module.startswith("twinning.") or node.module.startswith("twinning.core"):
                continue
            found.extend(
                f"{path.relative_to(ROOT.parent)}: {node.module}.{alias.name}"
                for alias in node.names
                if alias.name in SHARED
            )
    return found


def test_shared_helpers_are_imported_from_core_only():
    assert _imports_of_shared_helpers() == []


def test_shared_helpers_are_defined_once_in_core():
    defined = []
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined.extend(
            f"{path.relative_to(ROOT.parent)}:{node.name}"
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in SHARED
        )

    assert all(entry.startswith("twinning/core/") for entry in defined), defined


def test_each_app_renders_fields_with_the_one_field_template():
    own_copies = [
        str(path.relative_to(ROOT.parent))
        for path in ROOT.rglob("*.html")
        if path.name == "_field.html"
    ]

    assert own_copies == []


@pytest.mark.django_db
def test_paginate_takes_a_known_count_instead_of_counting(rf, django_assert_num_queries):
    from twinning.core.paging import paginate
    from twinning.network.models import Country

    Country.objects.bulk_create(
        [Country(code=code, name=code) for code in ("AA", "BB", "CC", "DD", "EE")]
    )

    codes = Country.objects.filter(code__in=["AA", "BB", "CC", "DD", "EE"]).order_by("code")

    with django_assert_num_queries(1):  # the page's rows only
        page = paginate(rf.get("/", {"page": 2}), codes, 2, count=5)
        shown = [c.code for c in page.object_list]

    assert shown == ["CC", "DD"]
    assert page.paginator.num_pages == 3
