"""Issue 8 §1: the showcase's students, their guardians and consents move to twinning.youth.

Each student becomes a youth Person with the same primary key (so Entry.student and
ErasureRequest.student can point at youth's table unchanged, 0005); each distinct guardian
e-mail becomes one Guardian; each consent becomes a youth Consent of program "showcase" with
the same primary key, and its two scopes (participation, publication) become ConsentScope
rows with their own timestamps. The audit log's and the outbox's generic links to a student
or a consent follow them to youth's content types. Runs on SQLite and PostgreSQL."""

from django.core.management.color import no_style
from django.db import migrations

PROGRAM = "showcase"


def _content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def _reset_sequences(schema_editor, models):
    connection = schema_editor.connection
    for sql in connection.ops.sequence_reset_sql(no_style(), models):
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    Student = apps.get_model("showcase", "Student")
    OldConsent = apps.get_model("showcase", "Consent")
    Person = apps.get_model("youth", "Person")
    Guardian = apps.get_model("youth", "Guardian")
    Consent = apps.get_model("youth", "Consent")
    ConsentScope = apps.get_model("youth", "ConsentScope")

    guardians = {}
    people = []
    for student in Student.objects.order_by("pk").iterator():
        email = (student.guardian_email or "").strip().lower()
        guardian = None
        if email:
            guardian = guardians.get(email)
            if guardian is None:
                guardian = Guardian.objects.create(email=email)
                guardians[email] = guardian
        people.append(
            Person(
                pk=student.pk,
                user_id=student.user_id,
                first_name=student.first_name,
                last_name=student.last_name,
                date_of_birth=student.date_of_birth,
                community_id=student.community_id,
                school=student.school,
                guardian=guardian,
            )
        )
    Person.objects.bulk_create(people, batch_size=500)
    # auto_now_add/auto_now would stamp "now": keep the registration times.
    for student in Student.objects.only("pk", "created_at", "updated_at").iterator():
        Person.objects.filter(pk=student.pk).update(
            created_at=student.created_at, updated_at=student.updated_at
        )
    for guardian in guardians.values():
        first = Student.objects.filter(guardian_email__iexact=guardian.email).order_by("created_at")
        Guardian.objects.filter(pk=guardian.pk).update(created_at=first.first().created_at)

    consents, scopes = [], []
    for old in OldConsent.objects.order_by("pk").iterator():
        consents.append(
            Consent(
                pk=old.pk,
                person_id=old.student_id,
                program=PROGRAM,
                email=old.email,
                verified_by=old.verified_by,
                token_hash=old.token_hash,
                token_expires_at=old.token_expires_at,
                token_used_at=old.token_used_at,
                responded_at=old.responded_at,
                notice_version=old.notice_version,
                notice_hash=old.notice_hash,
            )
        )
        for scope in ("participation", "publication"):
            scopes.append(
                ConsentScope(
                    consent_id=old.pk,
                    scope=scope,
                    granted_at=getattr(old, f"{scope}_at"),
                    withdrawn_at=getattr(old, f"{scope}_withdrawn_at"),
                )
            )
    Consent.objects.bulk_create(consents, batch_size=500)
    ConsentScope.objects.bulk_create(scopes, batch_size=1000)
    for old in OldConsent.objects.only("pk", "created_at").iterator():
        Consent.objects.filter(pk=old.pk).update(created_at=old.created_at)

    _reset_sequences(schema_editor, [Person, Consent])

    # Audit entries and e-mails about a student or a consent follow them to youth.
    ActivityLog = apps.get_model("core", "ActivityLog")
    OutboxMessage = apps.get_model("outbox", "OutboxMessage")
    for old_model, new_model in (("student", "person"), ("consent", "consent")):
        old_type = _content_type(apps, "showcase", old_model)
        new_type = _content_type(apps, "youth", new_model)
        ActivityLog.objects.filter(content_type=old_type).update(content_type=new_type)
        OutboxMessage.objects.filter(content_type=old_type).update(content_type=new_type)


def backwards(apps, schema_editor):
    Student = apps.get_model("showcase", "Student")
    OldConsent = apps.get_model("showcase", "Consent")
    Person = apps.get_model("youth", "Person")
    Consent = apps.get_model("youth", "Consent")
    for person in Person.objects.select_related("guardian").order_by("pk").iterator():
        Student.objects.create(
            pk=person.pk,
            user_id=person.user_id,
            first_name=person.first_name,
            last_name=person.last_name,
            date_of_birth=person.date_of_birth,
            community_id=person.community_id,
            school=person.school,
            guardian_email=person.guardian.email if person.guardian_id else "",
        )
        Student.objects.filter(pk=person.pk).update(
            created_at=person.created_at, updated_at=person.updated_at
        )
    for consent in Consent.objects.filter(program=PROGRAM).order_by("pk").iterator():
        answers = {a.scope: a for a in consent.answers.all()}
        values = {}
        for scope in ("participation", "publication"):
            answer = answers.get(scope)
            values[f"{scope}_at"] = answer.granted_at if answer else None
            values[f"{scope}_withdrawn_at"] = answer.withdrawn_at if answer else None
        OldConsent.objects.create(
            pk=consent.pk,
            student_id=consent.person_id,
            email=consent.email,
            verified_by=consent.verified_by,
            token_hash=consent.token_hash,
            token_expires_at=consent.token_expires_at,
            token_used_at=consent.token_used_at,
            responded_at=consent.responded_at,
            notice_version=consent.notice_version,
            notice_hash=consent.notice_hash,
            **values,
        )
        OldConsent.objects.filter(pk=consent.pk).update(created_at=consent.created_at)
    _reset_sequences(schema_editor, [Student, OldConsent])
    ActivityLog = apps.get_model("core", "ActivityLog")
    OutboxMessage = apps.get_model("outbox", "OutboxMessage")
    for old_model, new_model in (("student", "person"), ("consent", "consent")):
        old_type = _content_type(apps, "showcase", old_model)
        new_type = _content_type(apps, "youth", new_model)
        ActivityLog.objects.filter(content_type=new_type).update(content_type=old_type)
        OutboxMessage.objects.filter(content_type=new_type).update(content_type=old_type)
    Consent.objects.all().delete()
    Person.objects.all().delete()
    apps.get_model("youth", "Guardian").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("showcase", "0003_edition_constraint_messages"),
        ("youth", "0001_initial"),
        ("core", "0004_task_lease"),
        ("outbox", "0002_message_secret_links"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
