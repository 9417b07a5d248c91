"""Letters built by a worker are dated in the association's calendar, not UTC's (issue 7): a
worker has no request, so no time zone is active while it builds the PDF."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from pypdf import PdfReader

from tests.factories.activities import TravellerFactory
from twinning.activities.models import InvitationLetter
from twinning.activities.tasks import build_invitation_letter_task
from twinning.core.media import private_storage
from twinning.core.models import Association
from twinning.core.services import ASSOCIATION_CACHE_KEY


@pytest.mark.django_db
def test_a_letter_built_at_2330_utc_carries_the_associations_date(delegation):
    association = Association.load()
    association.time_zone = "Asia/Tokyo"  # 08:30 on the 15th there
    association.save()
    cache.delete(ASSOCIATION_CACHE_KEY)
    traveller = TravellerFactory(activity=delegation, name="Ana Mayor")
    letter = InvitationLetter.objects.create(traveller=traveller)

    with time_machine.travel(datetime.datetime(2025, 3, 14, 23, 30, tzinfo=datetime.UTC)):
        build_invitation_letter_task.call(letter_id=letter.pk)

    letter.refresh_from_db()
    with private_storage.open(letter.file_name, "rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "Ana Mayor" in text
    assert "March 15, 2025" in text
    assert "March 14, 2025" not in text
