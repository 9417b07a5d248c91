"""Factories of the members app (C19): boring, valid defaults."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories.network import MemberFactory
from twinning.members.models import FeeBand, Membership, MembershipType
from twinning.members.services.summary import refresh_member_summaries


class MembershipTypeFactory(factory.django.DjangoModelFactory):
    """A fixed-period type on a July-June fiscal year, roll-over on 1 April, 30 days' grace,
    with a two-band fee table (up to 50,000 people: 300.00; above: 750.00)."""

    class Meta:
        model = MembershipType
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community membership {n}")
    period = MembershipType.Period.FIXED
    fiscal_year_start_month = 7
    fiscal_year_start_day = 1
    rollover_month = 4
    rollover_day = 1
    grace_days = 30

    @factory.post_generation
    def bands(self, create, extracted, **kwargs):
        if not create:
            return
        rows = (
            extracted
            if extracted is not None
            else [
                (0, 50_000, Decimal("300.00")),
                (50_001, None, Decimal("750.00")),
            ]
        )
        for low, high, fee in rows:
            FeeBand.objects.create(
                membership_type=self, min_population=low, max_population=high, fee=fee
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    """An approved membership of the fiscal year 2026-07-01 to 2027-06-30."""

    class Meta:
        model = Membership

    member = factory.SubFactory(MemberFactory)
    membership_type = factory.SubFactory(MembershipTypeFactory)
    start = datetime.date(2026, 7, 1)
    end = datetime.date(2027, 6, 30)
    grace_end = factory.LazyAttribute(
        lambda o: o.end + datetime.timedelta(days=o.membership_type.grace_days)
    )
    fee = Decimal("300.00")
    applied_at = factory.LazyFunction(timezone.now)
    approved_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # What the membership services do after every write: store the member's summary.
        membership = super()._create(model_class, *args, **kwargs)
        refresh_member_summaries([membership.member_id])
        return membership
