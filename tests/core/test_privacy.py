"""Core's part in forgetting a person (issue 7): audit entries about a subject, or signed by
an account about to go, keep their action, object and time but lose their details."""

import pytest

from tests.factories import CommunityFactory, UserFactory
from twinning.core.models import ActivityLog
from twinning.core.privacy import shred_audit_data
from twinning.core.services import log_activity
from twinning.network.models import Community


@pytest.mark.django_db
def test_entries_about_a_subject_lose_their_details_and_keep_what_happened():
    forgotten, kept = CommunityFactory(), CommunityFactory()
    entry = log_activity(forgotten, "test.renamed", data={"from": "Ana's town"})
    other = log_activity(kept, "test.renamed", data={"from": "Old name"})

    assert shred_audit_data(subjects=[(Community, [forgotten.pk])]) == 1

    entry.refresh_from_db()
    other.refresh_from_db()
    assert (entry.action, entry.object_id, entry.data) == ("test.renamed", str(forgotten.pk), {})
    assert entry.created_at is not None
    assert other.data == {"from": "Old name"}


@pytest.mark.django_db
def test_entries_an_actor_signed_lose_their_details():
    student, colleague = UserFactory(), UserFactory()
    community = CommunityFactory()
    signed = log_activity(community, "test.note", by=student, data={"note": "I am Ana, 14"})
    theirs = log_activity(community, "test.note", by=colleague, data={"note": "Checked"})

    assert shred_audit_data(actor=student) == 1

    assert ActivityLog.objects.get(pk=signed.pk).data == {}
    assert ActivityLog.objects.get(pk=theirs.pk).data == {"note": "Checked"}


@pytest.mark.django_db
def test_no_subject_and_no_actor_shreds_nothing():
    entry = log_activity(CommunityFactory(), "test.note", data={"note": "kept"})

    assert shred_audit_data() == 0
    assert shred_audit_data(subjects=[(Community, [])]) == 0
    assert ActivityLog.objects.get(pk=entry.pk).data == {"note": "kept"}
