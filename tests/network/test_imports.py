"""The import of partnership files (network/imports/, `manage.py import_partnerships`)."""

import csv
import os

import pytest
from django.core.management import CommandError, call_command

from twinning.core.models import ActivityLog
from twinning.network.imports import import_partnerships
from twinning.network.imports import run as import_run
from twinning.network.models import (
    Community,
    Country,
    ImportRun,
    Partnership,
    PartnershipStatusChange,
)

HEADER = "city1,country1,lat1,lng1,city2,country2,lat2,lng2"
BIRMINGHAM_FRANKFURT = "Birmingham,England,52.4862,-1.8904,Frankfurt,Germany,50.1109,8.6821"


@pytest.fixture
def write_csv(tmp_path):
    def write(*lines: str, header: str = HEADER, name: str = "pairs.csv"):
        path = tmp_path / name
        path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture
def run(tmp_path, small_gazetteer):
    def run_import(path):
        return import_partnerships(path, report_path=tmp_path / "report.csv")

    return run_import


def report_rows(tmp_path) -> list[dict[str, str]]:
    with (tmp_path / "report.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_import_creates_communities_and_active_partnerships(write_csv, run):
    path = write_csv(
        BIRMINGHAM_FRANKFURT, "Birmingham,England,52.4862,-1.8904,Paris,France,48.8566,2.3522"
    )

    result = run(path)

    assert (result.created, result.communities_created) == (2, 3)
    partnership = Partnership.objects.get(source_reference="line 2")
    assert {partnership.community_a.name, partnership.community_b.name} == {
        "Birmingham",
        "Frankfurt",
    }
    assert partnership.status == Partnership.Status.ACTIVE
    assert partnership.source == "wikipedia:twin_cities.csv"
    assert PartnershipStatusChange.objects.filter(status="active").count() == 2
    birmingham = Community.objects.get(name="Birmingham")
    assert (birmingham.country_id, birmingham.region) == ("GB", "England")
    assert (birmingham.geonames_id, birmingham.population) == (2655603, 984333)
    assert birmingham.location_status == Community.LocationStatus.OK
    assert Community.objects.get(name="Frankfurt").search_name == "frankfurt"
    assert Country.objects.get(code="FR").region == "europe"


def test_import_leaves_one_import_run_and_one_audit_entry(write_csv, run, tmp_path):
    run(write_csv(BIRMINGHAM_FRANKFURT))

    import_run = ImportRun.objects.get()
    assert (import_run.rows_read, import_run.created, import_run.succeeded) == (1, 1, True)
    assert import_run.report_path == str(tmp_path / "report.csv")
    assert list(ActivityLog.objects.values_list("action", flat=True)) == [
        "network.import.completed"
    ]


def test_import_duplicate_listing_in_the_other_order_is_reported_as_duplicate_of_line(
    write_csv, run, tmp_path
):
    path = write_csv(
        BIRMINGHAM_FRANKFURT,
        'Frankfurt,Germany,50.1109,8.6821,Birmingham,"England, United Kingdom",52.48,-1.89',
    )

    result = run(path)

    assert (result.created, result.rejected["duplicate listing"]) == (1, 1)
    assert report_rows(tmp_path)[1]["reason"] == "duplicate of line 2"
    assert Community.objects.filter(name="Birmingham").count() == 1


def test_import_same_place_under_two_spellings_is_one_community(write_csv, run, tmp_path):
    path = write_csv(
        "Munich,Germany,48.137,11.575,Paris,France,48.8566,2.3522",
        "Paris,France,48.8566,2.3522,München,Germany,48.14,11.58",
    )

    result = run(path)

    assert result.created == 1
    assert report_rows(tmp_path)[1]["reason"] == "duplicate of line 2"


def test_import_self_pair_is_rejected(write_csv, run, tmp_path):
    result = run(write_csv("Paris,France,48.8566,2.3522,Paris,France,48.8566,2.3522"))

    assert result.rejected == {"same place on both sides": 1}
    assert Partnership.objects.count() == 0
    assert report_rows(tmp_path)[0]["outcome"] == "rejected"


def test_import_coordinates_that_are_not_numbers_are_rejected(write_csv, run, tmp_path):
    result = run(write_csv("Paris,France,abc,2.35,Munich,Germany,48.137,11.575"))

    assert result.rejected == {"coordinates not numbers": 1}
    assert "'abc'" in report_rows(tmp_path)[0]["reason"]


def test_import_coordinates_out_of_range_are_rejected(write_csv, run):
    result = run(write_csv("Paris,France,48.85,200,Munich,Germany,48.137,11.575"))

    assert result.rejected == {"coordinates out of range": 1}
    assert Community.objects.count() == 0


def test_import_empty_name_is_rejected(write_csv, run):
    result = run(write_csv(" ,France,48.85,2.35,Munich,Germany,48.137,11.575"))

    assert result.rejected == {"empty name": 1}


def test_import_unknown_country_label_is_rejected_with_the_label(write_csv, run, tmp_path):
    result = run(write_csv("Paris,Atlantis,48.85,2.35,Munich,Germany,48.137,11.575"))

    assert result.rejected == {"unknown country label": 1}
    assert "Atlantis" in report_rows(tmp_path)[0]["reason"]


def test_import_row_with_wrong_number_of_fields_is_rejected(write_csv, run):
    result = run(write_csv("Paris,France,48.85", BIRMINGHAM_FRANKFURT))

    assert (result.rejected["wrong number of fields"], result.created) == (1, 1)


def test_import_every_row_is_accounted_for(write_csv, run, tmp_path):
    path = write_csv(
        BIRMINGHAM_FRANKFURT,
        BIRMINGHAM_FRANKFURT,
        "Paris,France,48.8566,2.3522,Paris,France,48.8566,2.3522",
        "Paris,Nowhere,48.8566,2.3522,Munich,Germany,48.137,11.575",
    )

    result = run(path)

    rejected = sum(result.rejected.values())
    assert result.created + result.already_present + rejected == result.rows_read == 4
    assert [r["line"] for r in report_rows(tmp_path)] == ["2", "3", "4", "5"]


def test_import_second_run_creates_nothing(write_csv, run):
    path = write_csv(BIRMINGHAM_FRANKFURT, "Munich,Germany,48.137,11.575,Paris,France,48.85,2.35")
    run(path)

    again = run(path)

    assert (again.created, again.already_present, again.communities_created) == (0, 2, 0)
    assert Partnership.objects.count() == 2
    assert Community.objects.count() == 4


def test_import_failure_midway_leaves_the_database_as_before(write_csv, run, monkeypatch):
    def fail(partnerships):
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_run, "_create_partnerships", fail)  # the run writes through it

    with pytest.raises(RuntimeError):
        run(write_csv(BIRMINGHAM_FRANKFURT))

    assert Community.objects.count() == 0
    assert Country.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_import_birmingham_united_states_placed_in_england_is_flagged_outside(write_csv, run):
    run(write_csv("Birmingham,United States,52.4862,-1.8904,Frankfurt,Germany,50.1109,8.6821"))

    birmingham = Community.objects.get(country_id="US")
    assert birmingham.location_status == Community.LocationStatus.OUTSIDE_COUNTRY
    assert (birmingham.latitude, birmingham.longitude) == (52.4862, -1.8904)  # never moved
    assert (birmingham.suggested_latitude, birmingham.suggested_longitude) == (
        33.52066,
        -86.80249,
    )  # Birmingham, Alabama
    assert "outside US" in birmingham.location_note


def test_import_point_far_from_its_gazetteer_place_is_flagged(write_csv, run):
    # Perth, Scotland geocoded 60 km away, still in Scotland.
    run(write_csv("Perth,Scotland,56.9,-3.0,Paris,France,48.8566,2.3522"))

    perth = Community.objects.get(name="Perth")
    assert perth.location_status == Community.LocationStatus.FAR_FROM_MATCH
    assert perth.suggested_latitude == 56.39522


def test_import_springfields_in_two_states_stay_distinct(write_csv, run):
    path = write_csv(
        "Springfield,United States,39.80,-89.64,Paris,France,48.8566,2.3522",
        "Springfield,United States,37.21,-93.29,Paris,France,48.8566,2.3522",
    )

    result = run(path)

    assert result.created == 2
    assert sorted(Community.objects.filter(country_id="US").values_list("region", flat=True)) == [
        "Illinois",
        "Missouri",
    ]


def test_import_kind_from_the_name(write_csv, run):
    run(write_csv("Maui County,United States,20.75,-156.31,Paris,France,48.8566,2.3522"))

    assert Community.objects.get(name="Maui County").kind == Community.Kind.COUNTY


def test_import_without_coordinates_places_from_the_gazetteer(write_csv, run):
    path = write_csv("Lohne,Germany,Paris,France", header="city1,country1,city2,country2")

    result = run(path)

    lohne = Community.objects.get(name="Lohne")
    assert (lohne.latitude, lohne.longitude) == (52.66625, 8.2375)
    assert lohne.location_status == Community.LocationStatus.OK
    assert result.unplaced == []


def test_import_without_coordinates_reports_the_unplaceable(write_csv, run, capsys):
    path = write_csv("Atlantis City,Germany,Paris,France", header="city1,country1,city2,country2")

    result = run(path)

    assert result.unplaced == ["Atlantis City, Germany"]
    atlantis = Community.objects.get(name="Atlantis City")
    assert atlantis.location_status == Community.LocationStatus.UNPLACED
    assert not atlantis.has_point
    assert "could not be placed: 1" in "\n".join(result.summary_lines())


# --- The command -------------------------------------------------------------------------------
def test_command_prints_the_summary_and_writes_the_report(write_csv, small_gazetteer, tmp_path):
    path = write_csv(BIRMINGHAM_FRANKFURT, BIRMINGHAM_FRANKFURT)
    report = tmp_path / "out" / "report.csv"
    from io import StringIO

    out = StringIO()

    call_command("import_partnerships", str(path), "--report", str(report), stdout=out)

    text = out.getvalue()
    assert "Rows read:            2" in text
    assert "Partnerships created: 1" in text
    assert "duplicate listing: 1" in text
    assert report.read_text(encoding="utf-8").startswith("line,outcome,reason,city1")


def test_command_missing_columns_is_a_clear_error(write_csv, db):
    path = write_csv("Paris,France", header="town,country")

    with pytest.raises(CommandError, match="missing column"):
        call_command("import_partnerships", str(path))


def test_command_file_not_utf8_is_a_clear_error(tmp_path, db):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "\nMünchen,Germany,48.1,11.5,Paris,France,48.8,2.3\n").encode("latin-1")
    )

    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_partnerships", str(path))


def test_command_file_larger_than_the_limit_is_refused_before_reading(tmp_path, db):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: 2 GB announced, nothing written

    with pytest.raises(CommandError, match="more than the"):
        call_command("import_partnerships", str(path))
    os.remove(path)


def test_command_empty_file_is_a_clear_error(tmp_path, db):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match="empty"):
        call_command("import_partnerships", str(path))


def test_command_header_only_file_is_a_clear_error(tmp_path, db):
    path = tmp_path / "header.csv"
    path.write_text("   \n", encoding="utf-8")

    with pytest.raises(CommandError, match="empty"):
        call_command("import_partnerships", str(path))


def test_command_binary_junk_is_a_clear_error(tmp_path, db):
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(range(256)) * 4)

    with pytest.raises(CommandError, match="not a text file"):
        call_command("import_partnerships", str(path))


def test_command_missing_file_is_a_clear_error(tmp_path, db):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_partnerships", str(tmp_path / "nope.csv"))


def test_import_task_runs_the_import_and_returns_its_figures(write_csv, small_gazetteer, tmp_path):
    from twinning.network.tasks import import_partnerships_task

    path = write_csv(BIRMINGHAM_FRANKFURT)

    result = import_partnerships_task.enqueue(
        path=str(path), report_path=str(tmp_path / "task-report.csv")
    )

    figures = result.return_value
    assert (figures["rows_read"], figures["created"]) == (1, 1)
    assert figures["import_run"] == ImportRun.objects.get().pk
