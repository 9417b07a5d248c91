"""API token services: who may create and revoke (committee admins for their own member, staff
for any member and staff tokens), what is refused with a message, the audit entries, and the
secret never stored in clear."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.factories import ApiTokenFactory, UserFactory
from twinning.core.authz import NotAllowed
from twinning.core.models import ActivityLog
from twinning.network.models import ApiToken
from twinning.network.services import create_api_token, revoke_api_token


def _in(days=90):
    return timezone.now() + datetime.timedelta(days=days)


def _create(by, member=None, **fields):
    fields.setdefault("name", "Website sync")
    fields.setdefault("scopes", ["registry:read", "member:write"] if member else ["registry:read"])
    fields.setdefault("expires_at", _in())
    return create_api_token(member=member, by=by, **fields)


def _every_text_column_value():
    """Every stored value of every table, as text: where a leaked secret would show up."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the schema)
            values.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(values)


def test_create_api_token_returns_the_secret_and_stores_only_its_hash(
    springfield_member, committee_admin_user
):
    token, secret = _create(committee_admin_user, springfield_member)

    stored = ApiToken.objects.get(pk=token.pk)
    assert secret.startswith(f"{stored.prefix}_")
    assert len(secret) > 50
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.split("_", 2)[2] not in _every_text_column_value()


def test_create_api_token_writes_one_audit_entry_without_the_secret(
    springfield_member, committee_admin_user
):
    token, secret = _create(committee_admin_user, springfield_member, scopes=["member:read"])

    log = ActivityLog.objects.get(action="network.api_token.created")
    assert log.actor == committee_admin_user
    assert log.object_id == str(token.pk)
    assert log.data["scopes"] == ["member:read"]
    assert log.data["member"] == springfield_member.slug
    assert secret not in repr(log.data)


def test_committee_admin_cannot_create_a_token_for_another_member(
    springfield_member, other_committee_admin_user
):
    with pytest.raises(NotAllowed):
        _create(other_committee_admin_user, springfield_member)

    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("who", ["committee_admin_user", "public_user", "unverified_staff"])
def test_only_verified_staff_create_staff_tokens(request, db, who):
    user = UserFactory(is_staff=True) if who == "unverified_staff" else request.getfixturevalue(who)

    with pytest.raises(NotAllowed):
        _create(user)

    assert not ApiToken.objects.exists()


def test_staff_create_staff_tokens_and_tokens_for_any_member(staff_user, springfield_member):
    staff_token, _secret = _create(staff_user)
    member_token, _secret = _create(staff_user, springfield_member)

    assert (staff_token.member, member_token.member) == (None, springfield_member)
    assert staff_token.owner == member_token.owner == staff_user


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"scopes": []}, "scopes", "at least one scope"),
        ({"scopes": ["registry:write"]}, "scopes", "do not exist: registry:write"),
        ({"expires_at": timezone.now() - datetime.timedelta(minutes=1)}, "expires_at", "future"),
        ({"expires_at": _in(400)}, "expires_at", "at most one year"),
    ],
)
def test_create_api_token_refuses_bad_input_with_a_message(
    springfield_member, committee_admin_user, fields, field, message
):
    with pytest.raises(ValidationError) as error:
        _create(committee_admin_user, springfield_member, **fields)

    assert message in " ".join(error.value.message_dict[field])
    assert not ApiToken.objects.exists()


def test_staff_token_cannot_hold_member_scopes(staff_user):
    with pytest.raises(ValidationError) as error:
        _create(staff_user, scopes=["registry:read", "member:write"])

    assert "acts for no member organisation" in error.value.message_dict["scopes"][0]
    assert not ApiToken.objects.exists()


def test_the_same_name_twice_for_one_member_is_refused(springfield_member, committee_admin_user):
    _create(committee_admin_user, springfield_member, name="Website")

    with pytest.raises(ValidationError) as error:
        _create(committee_admin_user, springfield_member, name="Website")

    assert "already in use" in error.value.message_dict["name"][0]
    assert ApiToken.objects.count() == 1


def test_a_revoked_tokens_name_can_be_used_again(springfield_member, committee_admin_user):
    first, _secret = _create(committee_admin_user, springfield_member, name="Website")
    revoke_api_token(token=first, by=committee_admin_user)

    second, _secret = _create(committee_admin_user, springfield_member, name="Website")

    assert second.pk != first.pk


def test_revoke_api_token_records_who_and_when_with_an_audit_entry(
    springfield_member, committee_admin_user
):
    token = ApiTokenFactory(member=springfield_member)

    revoke_api_token(token=token, by=committee_admin_user)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by == committee_admin_user
    assert token.state() == "revoked"
    log = ActivityLog.objects.get(action="network.api_token.revoked")
    assert (log.actor, log.object_id) == (committee_admin_user, str(token.pk))


def test_revoking_twice_is_refused_with_a_message(springfield_member, committee_admin_user):
    token = ApiTokenFactory(member=springfield_member)
    revoke_api_token(token=token, by=committee_admin_user)

    with pytest.raises(ValidationError, match="already revoked"):
        revoke_api_token(token=token, by=committee_admin_user)


@pytest.mark.parametrize("who", ["other_committee_admin_user", "public_user"])
def test_others_cannot_revoke_a_committees_token(request, springfield_member, who):
    token = ApiTokenFactory(member=springfield_member)

    with pytest.raises(NotAllowed):
        revoke_api_token(token=token, by=request.getfixturevalue(who))

    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_committee_admin_cannot_revoke_a_staff_token(staff_user, committee_admin_user):
    token, _secret = _create(staff_user)

    with pytest.raises(NotAllowed):
        revoke_api_token(token=token, by=committee_admin_user)


def test_staff_revoke_any_token(staff_user, springfield_member):
    token = ApiTokenFactory(member=springfield_member)

    revoke_api_token(token=token, by=staff_user)

    assert ApiToken.objects.get(pk=token.pk).revoked_by == staff_user
