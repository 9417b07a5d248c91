import datetime

import factory
from django.utils import timezone

from tests.factories.accounts import UserFactory
from twinning.network.models import ApiToken, Community, Country, Member, Partnership, Region
from twinning.network.tokens import new_token


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


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A committee token for a new member; `token.secret` is the whole token to send (set on
    the instance only: the row keeps its hash, as the service does)."""

    class Meta:
        model = ApiToken

    name = factory.Sequence(lambda n: f"Website sync {n}")
    owner = factory.SubFactory(UserFactory)
    member = factory.SubFactory(MemberFactory)
    scopes = factory.LazyFunction(lambda: ["registry:read", "member:write"])
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=90))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        key_id, secret, secret_hash = new_token()
        token = super()._create(
            model_class, *args, key_id=key_id, secret_hash=secret_hash, **kwargs
        )
        token.secret = secret
        return token
