"""The association's regions (regional conferences, coordinators): saved by verified staff or
the platform through save_association_region, also from the admin."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import CountryFactory, UserFactory
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.models import ActivityLog
from twinning.members.models import AssociationRegion
from twinning.members.services.regions import save_association_region


@pytest.mark.django_db
def test_the_platform_saves_a_region_with_its_states_coordinators_and_an_audit_entry():
    coordinator = UserFactory()

    region = save_association_region(
        name="Midwest",
        country=CountryFactory(code="US"),
        subdivisions=["Ohio", "Illinois", " ", "Ohio"],
        coordinators=[coordinator],
        by=SYSTEM,
    )

    assert (region.slug, region.subdivisions) == ("midwest", ["Illinois", "Ohio"])
    assert list(region.coordinators.all()) == [coordinator]
    assert ActivityLog.objects.filter(action="members.region.created").count() == 1


@pytest.mark.django_db
def test_a_region_without_a_name_is_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError):
        save_association_region(
            name=" ", country=CountryFactory(code="US"), subdivisions=["Ohio"], by=SYSTEM
        )

    assert not AssociationRegion.objects.exists()


@pytest.mark.django_db
def test_a_signed_in_user_who_is_not_verified_staff_may_not_save_a_region():
    with pytest.raises(NotAllowed):
        save_association_region(
            name="Midwest", country=CountryFactory(code="US"), subdivisions=[], by=UserFactory()
        )

    assert not AssociationRegion.objects.exists()


@pytest.mark.django_db
def test_staff_add_a_region_in_the_admin_through_the_service(staff, staff_user):
    staff_user.is_superuser = True
    staff_user.save()
    CountryFactory(code="US")

    response = staff.post(
        "/admin/members/associationregion/add/",
        {"name": "Southeast", "country": "US", "subdivisions": '["Georgia", "Alabama"]'},
    )

    assert response.status_code == 302
    region = AssociationRegion.objects.get()
    assert (region.slug, region.subdivisions) == ("southeast", ["Alabama", "Georgia"])
    assert ActivityLog.objects.filter(action="members.region.created").exists()
