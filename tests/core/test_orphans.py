"""The sweep for orphaned private files (core/orphans.py): a file no row names and older than
the grace period is deleted, through the storage API (in memory here; on the S3 server, with
an entry's files kept, in tests/showcase/test_s3_media.py); referenced files, young files and
files outside the registered folders are kept."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests.factories.activities import TravellerFactory
from twinning.activities.models import InvitationLetter
from twinning.core.media import private_storage, store_bytes
from twinning.core.orphans import find_orphans, registered_folders, sweep_orphans


@pytest.fixture(autouse=True)
def _empty_private_storage(settings):
    """A fresh private storage: the suite's shared one holds files of other tests whose rows
    were rolled back, which are orphans too."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def _later(hours=25):
    return time_machine.travel(timezone.now() + datetime.timedelta(hours=hours))


def _letter() -> str:
    """A stored letter and the row that names it, as `build_invitation_letter` leaves them."""
    name = store_bytes(b"%PDF letter", extension="pdf", folder="activities/letters")
    InvitationLetter.objects.create(traveller=TravellerFactory(), state="ready", file_name=name)
    return name


def test_every_app_that_stores_private_files_registers_its_folders():
    assert registered_folders() == [
        "activities/letters",
        "activities/photos",
        "activities/reports",
        "awards",
        "certificates",
        "documents",
        "events/speakers",
        "exchanges",
        "grants/receipts",
        "library",
        "relief",
        "showcase/derivatives",
        "showcase/originals",
    ]


def test_sweep_deletes_an_old_orphan_and_keeps_the_referenced_files(db):
    letter = _letter()
    orphan = store_bytes(b"left by a crash", extension="pdf", folder="activities/letters")

    with _later():
        deleted = sweep_orphans()

    assert deleted == [orphan]
    assert not private_storage.exists(orphan)
    assert private_storage.exists(letter)


def test_sweep_keeps_a_young_orphan_whose_transaction_may_still_run(db):
    young = store_bytes(b"just stored", extension="pdf", folder="activities/letters")

    with _later(hours=23):
        deleted = sweep_orphans()

    assert deleted == []
    assert private_storage.exists(young)


def test_sweep_never_looks_outside_the_registered_folders(db):
    elsewhere = store_bytes(b"another app's", extension="pdf", folder="exports")

    with _later():
        sweep_orphans()

    assert private_storage.exists(elsewhere)


def test_sweep_media_command_dry_run_lists_and_deletes_nothing(db, capsys):
    orphan = store_bytes(b"orphan", extension="pdf", folder="certificates")

    with _later():
        call_command("sweep_media", "--dry-run")

    out = capsys.readouterr().out
    assert orphan in out
    assert "orphaned files found: 1" in out
    assert private_storage.exists(orphan)
    with _later():
        assert find_orphans() == [orphan]


def test_sweep_keeps_a_speakers_photo_and_deletes_one_no_speaker_names(db):
    from tests.events.public_helpers import make_event
    from twinning.events.models import Speaker

    photo = store_bytes(b"speaker photo", extension="jpg", folder="events/speakers")
    Speaker.objects.create(event=make_event(), name="Ada Lovelace", photo_file=photo)
    orphan = store_bytes(b"left by a crash", extension="jpg", folder="events/speakers")

    with _later():
        deleted = sweep_orphans()

    assert deleted == [orphan]
    assert private_storage.exists(photo)
