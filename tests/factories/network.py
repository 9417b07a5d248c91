import factory

from twinning.network.models import Community, Country, Member, Partnership, Region


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Iterator(["FR", "DE", "JP", "US", "GB", "IT", "ES", "KE", "BR", "AU"])
    name = factory.LazyAttribute(
        lambda o: {
            "FR": "France",
            "DE": "Germany",
            "JP": "Japan",
            "US": "United States",
            "GB": "United Kingdom",
            "IT": "Italy",
            "ES": "Spain",
            "KE": "Kenya",
            "BR": "Brazil",
            "AU": "Australia",
        }.get(o.code, o.code)
    )
    region = factory.LazyAttribute(
        lambda o: {
            "JP": Region.ASIA,
            "US": Region.AMERICAS,
            "BR": Region.AMERICAS,
            "KE": Region.AFRICA,
            "AU": Region.OCEANIA,
        }.get(o.code, Region.EUROPE)
    )


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Town {n}")
    slug = factory.Sequence(lambda n: f"town-{n}")
    country = factory.SubFactory(CountryFactory)
    latitude = factory.Faker("pyfloat", min_value=-60, max_value=70)
    longitude = factory.Faker("pyfloat", min_value=-179, max_value=179)
    population = 25_000


class PartnershipFactory(factory.django.DjangoModelFactory):
    """Boring: creates two new communities, stored in id order."""

    class Meta:
        model = Partnership

    community_a = factory.SubFactory(CommunityFactory)
    community_b = factory.SubFactory(CommunityFactory)
    source = "test"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Sister Cities Committee {n}")
    slug = factory.Sequence(lambda n: f"committee-{n}")

    @factory.post_generation
    def communities(self, create, extracted, **kwargs):
        if create and extracted:
            self.communities.set(extracted)
