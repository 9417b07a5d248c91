"""Factories of the activities app (C19): boring, valid defaults, no hidden side effects.
An ActivityFactory needs a member and its partnerships passed in (`partnerships=[...]`)."""

import datetime
from decimal import Decimal

import factory

from tests.factories.network import MemberFactory
from twinning.activities.models import (
    Activity,
    AnnualReport,
    ItineraryStop,
    Kind,
    Sector,
    Traveller,
)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    member = factory.SubFactory(MemberFactory)
    title = factory.Sequence(lambda n: f"Exchange {n}")
    sector = Sector.YOUTH
    kind = Kind.STUDENT_EXCHANGE
    start_date = datetime.date(2025, 5, 1)
    end_date = datetime.date(2025, 5, 10)
    places = "Town hall"
    visitors_under_18 = 10
    visitors_over_30 = 2
    hosts_under_18 = 10
    volunteer_hours = 40
    money_raised = Decimal("1500.00")
    money_spent = Decimal("1200.50")
    state = Activity.State.DRAFT

    @factory.post_generation
    def partnerships(self, create, extracted, **kwargs):
        if create and extracted:
            self.partnerships.set(extracted)


class TravellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Traveller

    activity = factory.SubFactory(ActivityFactory, is_delegation=True)
    name = factory.Sequence(lambda n: f"Traveller {n}")
    role = Traveller.Role.MEMBER


class ItineraryStopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItineraryStop

    activity = factory.SubFactory(ActivityFactory, is_delegation=True)
    date = datetime.date(2025, 5, 2)
    place = "City hall"
    purpose = "Welcome by the mayor"


class AnnualReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReport

    year = 2025
