"""The move of the showcase's students and consents to youth (showcase 0004 and 0005): built at
the old state with the historical models, migrated, then read with today's models. Runs on
SQLite and, with DATABASE_URL set, on PostgreSQL."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import CommunityFactory, UserFactory
from tests.showcase.conftest import make_edition
from twinning.core.models import ActivityLog
from twinning.showcase.models import Entry, ErasureRequest
from twinning.youth.models import Consent, ConsentScope, Guardian, Person
from twinning.youth.services import has_consent, hash_token

OLD = [("showcase", "0003_edition_constraint_messages")]
NEW = [("showcase", "0005_student_consent_in_youth")]


def _migrate(showcase):
    """Migrate the showcase to `showcase` (every other app stays at its latest); the apps of
    that state."""
    executor = MigrationExecutor(connection)
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "showcase"]
    targets = [*leaves, *showcase]
    executor.migrate(targets)
    executor.loader.build_graph()
    ContentType.objects.clear_cache()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_students_guardians_and_consents_move_to_youth_with_their_keys_and_links():
    edition = make_edition(slug="moved")
    category_pk = edition.categories.get(slug="poetry").pk
    community = CommunityFactory()
    users = [UserFactory(email=f"kid{n}@example.org") for n in range(3)]
    old = _migrate(OLD)
    try:
        student_model = old.get_model("showcase", "Student")
        old_consent = old.get_model("showcase", "Consent")
        old_entry = old.get_model("showcase", "Entry")
        old_erasure = old.get_model("showcase", "ErasureRequest")
        old_content_type = old.get_model("contenttypes", "ContentType")
        old_log = old.get_model("core", "ActivityLog")
        dob = datetime.date(2011, 5, 4)
        ada = student_model.objects.create(
            pk=41,
            user_id=users[0].pk,
            first_name="Ada",
            last_name="Lovelace",
            date_of_birth=dob,
            community_id=community.pk,
            school="Canary High",
            guardian_email="Parent@example.net",
        )
        grace = student_model.objects.create(
            pk=42,
            user_id=users[1].pk,
            first_name="Grace",
            last_name="Hopper",
            date_of_birth=dob,
            community_id=community.pk,
            guardian_email="parent@example.net",
        )
        adult = student_model.objects.create(
            pk=43,
            user_id=users[2].pk,
            first_name="Alan",
            last_name="Turing",
            date_of_birth=datetime.date(2000, 1, 1),
            community_id=community.pk,
        )
        now = timezone.now()
        answered = old_consent.objects.create(
            pk=7,
            student=ada,
            email="parent@example.net",
            verified_by="guardian_email_link",
            token_used_at=now,
            responded_at=now,
            notice_version="2025-1",
            notice_hash="a" * 64,
            participation_at=now,
            publication_at=now,
            publication_withdrawn_at=now,
        )
        pending = old_consent.objects.create(
            pk=8,
            student=grace,
            email="parent@example.net",
            verified_by="guardian_email_link",
            token_hash=hash_token("pending-token"),
            token_expires_at=now + datetime.timedelta(days=7),
        )
        own = old_consent.objects.create(
            pk=9,
            student=adult,
            email="kid2@example.org",
            verified_by="adult_signed_in",
            responded_at=now,
            participation_at=now,
        )
        entry = old_entry.objects.create(
            edition_id=edition.pk, category_id=category_pk, student=ada, title="A poem"
        )
        erasure = old_erasure.objects.create(
            student=grace, reference="ER-1", requested_by="guardian", due_on=now.date()
        )
        student_type = old_content_type.objects.get_or_create(
            app_label="showcase", model="student"
        )[0]
        old_log.objects.create(
            action="showcase.student.registered",
            content_type=student_type,
            object_id=str(ada.pk),
            data={"x": 1},
        )
    finally:
        _migrate(NEW)

    people = {p.pk: p for p in Person.objects.select_related("guardian")}
    assert sorted(people) == [41, 42, 43]
    assert people[41].first_name == "Ada" and people[41].school == "Canary High"
    assert people[41].user_id == users[0].pk and people[41].date_of_birth == dob
    assert Guardian.objects.get().email == "parent@example.net"
    assert people[41].guardian_id == people[42].guardian_id
    assert people[43].guardian_id is None

    moved = Consent.objects.get(pk=answered.pk)
    assert (moved.program, moved.person_id, moved.notice_hash) == ("showcase", 41, "a" * 64)
    assert moved.scopes == ["participation"]
    assert moved.answer("publication").withdrawn_at is not None
    assert has_consent(people[41], "showcase", "participation")
    assert not has_consent(people[41], "showcase", "publication")
    assert Consent.objects.get(pk=pending.pk).token_hash == hash_token("pending-token")
    assert not has_consent(people[42], "showcase", "participation")
    assert Consent.objects.get(pk=own.pk).scopes == ["participation"]
    assert ConsentScope.objects.count() == 6

    assert Entry.objects.get(pk=entry.pk).student == people[41]
    assert Entry.objects.eligible_for_judging().count() == 0  # a draft, still
    assert ErasureRequest.objects.get(pk=erasure.pk).student == people[42]
    log = ActivityLog.objects.get(action="showcase.student.registered")
    assert log.content_type == ContentType.objects.get_for_model(Person)
    assert log.object_id == "41"

    # New rows take keys after the copied ones.
    newcomer = Person.objects.create(
        user=UserFactory(), first_name="N", last_name="N", date_of_birth=dob, community=community
    )
    assert newcomer.pk > 43
