"""Partner matchmaking (issue 11, section 3): a community's seeking profile (what a new
partner should be like), and the interest one side expresses in another; mutual interest
becomes a proposed partnership in the registry (network's lifecycle). Beside them, the
municipal expertise exchange (section 4): a member community's offer of expertise in a
municipal field, a request for help (from a member, or from one of its partners abroad
through a single-use link), and the match of the two, which becomes a peer-learning activity
in `activities` with its outcome."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from twinning.activities.models import SECTOR_KINDS, Activity, Kind, Sector
from twinning.core.models import TimeStampedModel
from twinning.matchmaking.languages import LANGUAGE_NAMES
from twinning.network.models import Community, Country, Member, Partnership, Region

TEXT_LIMIT = 1000


class SeekingProfileQuerySet(models.QuerySet["SeekingProfile"]):
    def open(self) -> "SeekingProfileQuerySet":
        """Profiles of communities seeking a partner now (the public list)."""
        return self.filter(is_open=True)

    def of_member(self, member: Member) -> "SeekingProfileQuerySet":
        return self.filter(community__members=member)


class SeekingProfile(TimeStampedModel):
    """What a community looks for in a new partner: one per community. A member's committee
    admins keep their communities' profiles; staff list a community abroad that is no member
    on the request of a partner association (`requested_by` names it, with a contact)."""

    community = models.OneToOneField(
        Community,
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        related_name="seeking_profile",
    )
    is_open = models.BooleanField(_("seeking a partner now"), default=True, db_index=True)
    preferred_countries = models.JSONField(
        _("preferred countries"),
        default=list,
        blank=True,
        help_text=_("ISO codes of the countries where a partner is sought."),
    )
    preferred_regions = models.JSONField(
        _("preferred regions"),
        default=list,
        blank=True,
        help_text=_("World regions where a partner is sought."),
    )
    population_min = models.PositiveBigIntegerField(_("smallest population"), null=True, blank=True)
    population_max = models.PositiveBigIntegerField(_("largest population"), null=True, blank=True)
    sectors = models.JSONField(
        _("fields of interest"),
        default=list,
        blank=True,
        help_text=_("Activity sectors (arts, youth, business...)."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    text = models.TextField(_("about us and the partner we seek"), blank=True)
    requested_by = models.CharField(
        _("listed at the request of"),
        max_length=200,
        blank=True,
        help_text=_("The partner association that asked staff to list this community."),
    )
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SeekingProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("seeking profile")
        verbose_name_plural = _("seeking profiles")
        ordering = ["community__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(population_min__isnull=True)
                | Q(population_max__isnull=True)
                | Q(population_max__gte=models.F("population_min")),
                name="seeking_population_range_ordered",
                violation_error_message=_("The largest population is below the smallest."),
            )
        ]

    def __str__(self) -> str:
        return str(self.community)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not _is_list_of(self.preferred_regions, set(Region.values)):
            errors["preferred_regions"] = _("Choose regions from the list.")
        if not _is_list_of(self.sectors, set(Sector.values)):
            errors["sectors"] = _("Choose fields from the list.")
        if not _is_list_of(self.languages, set(LANGUAGE_NAMES)):
            errors["languages"] = _("Choose languages from the list.")
        if not isinstance(self.preferred_countries, list) or (
            self.preferred_countries
            and Country.objects.filter(code__in=self.preferred_countries).count()
            != len(set(self.preferred_countries))
        ):
            errors["preferred_countries"] = _("Choose countries from the list.")
        if len(self.text) > TEXT_LIMIT:
            errors["text"] = _("Keep the text under %(n)d characters.") % {"n": TEXT_LIMIT}
        if errors:
            raise ValidationError(errors)

    @property
    def field_labels(self) -> list[str]:
        return [str(Sector(value).label) for value in self.sectors if value in Sector.values]

    @property
    def language_labels(self) -> list[str]:
        return [LANGUAGE_NAMES.get(code, code) for code in self.languages]

    @property
    def region_labels(self) -> list[str]:
        return [str(Region(value).label) for value in self.preferred_regions]


def _is_list_of(value: object, allowed: set[str]) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v in allowed for v in value)


class InterestQuerySet(models.QuerySet["Interest"]):
    def from_community(self, community: Community) -> "InterestQuerySet":
        return self.filter(community=community)

    def to_community(self, community: Community) -> "InterestQuerySet":
        return self.filter(target=community)


class Interest(TimeStampedModel):
    """One side's interest in another community as a partner. When the other side expresses
    interest back, both rows point at the proposed partnership recorded in the registry."""

    community = models.ForeignKey(
        Community,
        verbose_name=_("interested community"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    target = models.ForeignKey(
        Community,
        verbose_name=_("community of interest"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    expressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("proposed partnership"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = InterestQuerySet.as_manager()

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "target"], name="interest_once_per_pair"),
            models.CheckConstraint(
                condition=~Q(community=models.F("target")), name="interest_not_in_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} → {self.target}"

    @property
    def is_mutual(self) -> bool:
        return self.partnership_id is not None


# --- The municipal expertise exchange (issue 11, section 4) ------------------------------------

# The fields of municipal peer learning are activities' own kinds of the sector "municipal"
# (sanitation, water, health, transportation, tourism, economic development, education): an
# exchange is recorded in activities under the same kind.
EXPERTISE_FIELDS: tuple[str, ...] = tuple(SECTOR_KINDS[Sector.MUNICIPAL])
PEOPLE_LIMIT = 1000


def expertise_field_choices() -> list[tuple[str, str]]:
    return [(value, str(Kind(value).label)) for value in EXPERTISE_FIELDS]


def field_label(value: str) -> str:
    return str(Kind(value).label) if value in EXPERTISE_FIELDS else value


class ExchangeForm(models.TextChoices):
    """How the expertise is shared."""

    VISIT = "visit", _("Hosting a visit")
    CALL = "call", _("A video call")
    EXPERT = "expert", _("Sending an expert")


def _clean_expertise(obj: Any, errors: dict[str, Any]) -> None:
    if obj.field not in EXPERTISE_FIELDS:
        errors["field"] = _("Choose a field from the list.")
    if not _is_list_of(obj.languages, set(LANGUAGE_NAMES)):
        errors["languages"] = _("Choose languages from the list.")
    if not _is_list_of(obj.forms, set(ExchangeForm.values)):
        errors["forms"] = _("Choose how from the list.")


class ExpertiseOfferQuerySet(models.QuerySet["ExpertiseOffer"]):
    def open(self) -> "ExpertiseOfferQuerySet":
        return self.filter(is_open=True)

    def of_member(self, member: Member) -> "ExpertiseOfferQuerySet":
        return self.filter(member=member)


class ExpertiseOffer(TimeStampedModel):
    """A member community (or one of its departments) offers its expertise in a municipal
    field: who would share it (names and roles only, never contact data), in which languages,
    and how (hosting a visit, a video call, sending an expert)."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+"
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="+"
    )
    department = models.CharField(
        _("department"), max_length=200, blank=True, help_text=_("Public works, health...")
    )
    field = models.CharField(_("field"), max_length=30, choices=expertise_field_choices)
    summary = models.TextField(_("what we can share"))
    people = models.TextField(
        _("people"),
        blank=True,
        help_text=_("Names and roles, one a line; no e-mail addresses or telephone numbers."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    forms = models.JSONField(_("how"), default=list, blank=True)
    is_open = models.BooleanField(_("open"), default=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ExpertiseOfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("expertise offer")
        verbose_name_plural = _("expertise offers")
        ordering = ["field", "community__name", "pk"]

    def __str__(self) -> str:
        return f"{self.community}: {field_label(self.field)}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _clean_expertise(self, errors)
        if len(self.summary) > TEXT_LIMIT:
            errors["summary"] = _("Keep the text under %(n)d characters.") % {"n": TEXT_LIMIT}
        if len(self.people) > PEOPLE_LIMIT:
            errors["people"] = _("Keep the list under %(n)d characters.") % {"n": PEOPLE_LIMIT}
        if "@" in self.people or _has_phone_number(self.people):
            errors["people"] = _(
                "Names and roles only: no e-mail addresses or telephone numbers here."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def field_label(self) -> str:
        return field_label(self.field)

    @property
    def language_labels(self) -> list[str]:
        return [LANGUAGE_NAMES.get(code, code) for code in self.languages]

    @property
    def form_labels(self) -> list[str]:
        return [str(ExchangeForm(v).label) for v in self.forms if v in ExchangeForm.values]

    @property
    def form_choices(self) -> list[tuple[str, str]]:
        return [(v, str(ExchangeForm(v).label)) for v in self.forms if v in ExchangeForm.values]

    @property
    def people_lines(self) -> list[str]:
        return [line.strip() for line in self.people.splitlines() if line.strip()]


def _has_phone_number(text: str) -> bool:
    """Seven digits or more in a row (spaces, dots and dashes between them allowed)."""
    digits = 0
    for char in text:
        if char.isdigit():
            digits += 1
            if digits >= 7:
                return True
        elif char not in " .-()/+":
            digits = 0
    return False


class ExpertiseRequestQuerySet(models.QuerySet["ExpertiseRequest"]):
    def open(self) -> "ExpertiseRequestQuerySet":
        return self.filter(state=ExpertiseRequest.State.OPEN)

    def of_member(self, member: Member) -> "ExpertiseRequestQuerySet":
        return self.filter(member=member)


class ExpertiseRequest(TimeStampedModel):
    """A community asks for help with a problem in a municipal field: a member's committee
    (signed in), or one of its partners abroad through a single-use link the committee sent
    (state `invited` until the partner writes the request; the link is then spent)."""

    class State(models.TextChoices):
        INVITED = "invited", _("Link sent to the partner")
        OPEN = "open", _("Open")
        MATCHED = "matched", _("Matched")
        CLOSED = "closed", _("Withdrawn")

    class Via(models.TextChoices):
        ACCOUNT = "account", _("the committee's account")
        LINK = "link", _("a partner's single-use link")

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The member asking, or whose partner abroad asks."),
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community asking"), on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For a partner's request: the partnership the link was sent for."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    via = models.CharField(_("asked through"), max_length=10, choices=Via.choices)
    field = models.CharField(_("field"), max_length=30, choices=expertise_field_choices, blank=True)
    problem = models.TextField(_("the problem"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    forms = models.JSONField(_("how"), default=list, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # The partner's single-use link (core.tokens: only the SHA-256 of its secret is kept):
    # while `invited`, the link to write the request (LINK_DAYS days); once written, the link
    # the partner may withdraw it with, until the exchange's outcome is recorded.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("why it was withdrawn"), blank=True)

    objects = ExpertiseRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("expertise request")
        verbose_name_plural = _("expertise requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.community}: {field_label(self.field)}"

    def clean(self) -> None:
        if self.state == self.State.INVITED:
            return  # the partner has not written it yet
        errors: dict[str, Any] = {}
        _clean_expertise(self, errors)
        if not self.problem.strip():
            errors["problem"] = _("Describe the problem you need help with.")
        elif len(self.problem) > TEXT_LIMIT:
            errors["problem"] = _("Keep the text under %(n)d characters.") % {"n": TEXT_LIMIT}
        if errors:
            raise ValidationError(errors)

    @property
    def field_label(self) -> str:
        return field_label(self.field)

    @property
    def language_labels(self) -> list[str]:
        return [LANGUAGE_NAMES.get(code, code) for code in self.languages]

    @property
    def form_labels(self) -> list[str]:
        return [str(ExchangeForm(v).label) for v in self.forms if v in ExchangeForm.values]


class ExpertiseMatchQuerySet(models.QuerySet["ExpertiseMatch"]):
    def live(self) -> "ExpertiseMatchQuerySet":
        """Not declined by either side."""
        return self.filter(declined_at__isnull=True)

    def for_list(self) -> "ExpertiseMatchQuerySet":
        return self.select_related(
            "request__community__country", "offer__community__country", "activity"
        )

    def of_member(self, member: Member) -> "ExpertiseMatchQuerySet":
        return self.filter(Q(request__member=member) | Q(offer__member=member))


class ExpertiseMatch(TimeStampedModel):
    """A request met by an offer: a peer-learning exchange. Once it took place, staff record
    its outcome, and the exchange is reported in activities (sector municipal, the field as
    its kind, the policies adopted and people trained as the activity's own indicators) so it
    counts on /impact/. Either side may decline it first (with a reason): the request is then
    open again, and a request has at most one match not declined."""

    class Side(models.TextChoices):
        REQUEST = "request", _("the side asking")
        OFFER = "offer", _("the side offering")

    request = models.ForeignKey(
        ExpertiseRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="matches",
    )
    offer = models.ForeignKey(
        ExpertiseOffer, verbose_name=_("offer"), on_delete=models.PROTECT, related_name="matches"
    )
    score = models.IntegerField(_("score when matched"), default=0)
    form = models.CharField(_("how"), max_length=10, choices=ExchangeForm.choices, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    declined_side = models.CharField(
        _("declined by"), max_length=10, choices=Side.choices, blank=True
    )
    decline_reason = models.TextField(_("why it was declined"), blank=True)

    objects = ExpertiseMatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("expertise match")
        verbose_name_plural = _("expertise matches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="expertise_match_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(declined_at__isnull=True),
                name="expertise_one_live_match_per_request",
                violation_error_message=_("This request is matched already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer.community} → {self.request.community}"

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None

    @property
    def is_declined(self) -> bool:
        return self.declined_at is not None
