"""The Annual Awards: a yearly cycle, its categories (questions, population bracket, rubric,
blind or not), the committees' nominations with their attachments, and the honours (winners
and honourable mentions) that make the permanent public archive once announced."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel


class CycleQuerySet(models.QuerySet["Cycle"]):
    def open_at(self, when: Any = None) -> "CycleQuerySet":
        """Cycles accepting nominations at `when` (now by default)."""
        when = when or timezone.now()
        return self.filter(opens_at__lte=when, closes_at__gt=when)

    def announced(self) -> "CycleQuerySet":
        return self.filter(announced_at__isnull=False)


class Cycle(TimeStampedModel):
    """One year of the Annual Awards. Nominations are accepted from `opens_at` until
    `closes_at` (checked by the server); nothing about the results is public before
    `announced_at`."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    opens_at = models.DateTimeField(_("nominations open at"))
    closes_at = models.DateTimeField(_("nominations close at"))
    banquet = models.ForeignKey(
        "events.Event",
        verbose_name=_("awards banquet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "banquet"},
        help_text=_("Winners are added to this banquet's honorees when the results are out."),
    )
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("awards cycle")
        verbose_name_plural = _("awards cycles")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="awards_cycle_closes_after_opening",
                violation_error_message=_("Nominations must close after they open."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_announced(self) -> bool:
        return self.announced_at is not None

    def is_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now: Any = None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class Category(TimeStampedModel):
    """An award of a cycle: who is nominated (the committee's program, or a person), its
    population bracket (none: any size), its questions (one per line), its rubric and whether
    its judges review blind. Judging runs on a review round of its own."""

    class Subject(models.TextChoices):
        PROGRAM = "program", _("A committee's program (the committee applies for itself)")
        PERSON = "person", _("A person (anyone may nominate; the committee confirms)")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    subject = models.CharField(
        _("who is nominated"), max_length=10, choices=Subject.choices, default=Subject.PROGRAM
    )
    population_min = models.PositiveBigIntegerField(_("population from"), null=True, blank=True)
    population_max = models.PositiveBigIntegerField(_("population up to"), null=True, blank=True)
    questions = models.TextField(
        _("questions"), blank=True, help_text=_("One question per line; each must be answered.")
    )
    criteria = models.JSONField(
        _("rubric"),
        default=list,
        blank=True,
        help_text=_('A list of {"name": ..., "weight": ...}; empty for the default rubric.'),
    )
    blind = models.BooleanField(
        _("blind judging"),
        default=False,
        help_text=_("Judges do not see the committee, community or nominee's name."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    round = models.OneToOneField(
        "review.Round",
        verbose_name=_("review round"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="award_category",
    )

    class Meta:
        verbose_name = _("award category")
        verbose_name_plural = _("award categories")
        ordering = ["cycle", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "slug"],
                name="awards_category_unique_slug",
                violation_error_message=_("This cycle already has a category with this slug."),
            ),
            models.CheckConstraint(
                condition=Q(population_min__isnull=True)
                | Q(population_max__isnull=True)
                | Q(population_max__gte=models.F("population_min")),
                name="awards_category_bracket_order",
                violation_error_message=_("The bracket's upper bound must be above its lower."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_bracket(self) -> bool:
        return self.population_min is not None or self.population_max is not None

    def bracket_label(self) -> str:
        low, high = self.population_min, self.population_max
        if low is None and high is None:
            return ""
        if low is None or low <= 1:
            return str(_("up to %(high)s people")) % {"high": f"{high:,}"}
        if high is None:
            return str(_("over %(low)s people")) % {"low": f"{low - 1:,}"}
        return str(_("%(low)s to %(high)s people")) % {"low": f"{low:,}", "high": f"{high:,}"}

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class NominationQuerySet(models.QuerySet["Nomination"]):
    def visible_to(self, user: Any) -> "NominationQuerySet":
        """Staff see every nomination; a committee admin those of their committees and those
        they nominated; anyone else none (C12)."""
        from twinning.core.authz import is_verified_staff

        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if is_verified_staff(user):
            return self
        return self.filter(Q(member__admins=user) | Q(nominated_by=user)).distinct()

    def counting(self) -> "NominationQuerySet":
        """Nominations that count: submitted (and, for a third party's, confirmed)."""
        return self.filter(state=Nomination.State.SUBMITTED)


class Nomination(TimeStampedModel):
    """A nomination in a category of a cycle for a member committee (the nominee's committee):
    its own program, or a person of it (a volunteer, a youth leader) nominated by the committee
    or by a third party. A third party's nomination counts once the committee confirms it by
    its single-use link. One per committee and category (withdrawn ones aside)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING = "awaiting", _("Awaiting the committee's confirmation")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="nominations")
    member = models.ForeignKey(
        "network.Member",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="award_nominations",
    )
    community = models.ForeignKey(
        "network.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="award_nominations",
    )
    partner = models.ForeignKey(
        "network.Community",
        verbose_name=_("partner city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nominee_name = models.CharField(
        _("nominee"), max_length=200, blank=True, help_text=_("The person nominated, if any.")
    )
    title = models.CharField(_("title"), max_length=200)
    story = models.TextField(_("the story"), blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    website = models.URLField(_("web page"), blank=True)
    video = models.URLField(_("video link"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="award_nominations",
    )
    nominator = models.CharField(
        _("nominator"),
        max_length=200,
        blank=True,
        help_text=_("For a third party's nomination: who nominates (their committee or role)."),
    )
    third_party = models.BooleanField(_("nominated by a third party"), default=False)
    confirm_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    confirm_expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["category", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "member"],
                condition=~Q(state="withdrawn"),
                name="awards_one_nomination_per_committee_and_category",
                violation_error_message=_(
                    "This committee already has a nomination in this category."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("awards:nomination", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT

    # --- Reviewable (twinning.review.interface) ---------------------------------------------

    def review_title(self) -> str:
        return self.title

    def review_work(self) -> Any:
        from twinning.review.interface import Work

        category = self.category
        answers = [(q, self.answers.get(q, "")) for q in category.question_list()]
        context: dict[str, Any] = {
            "category": category.name,
            "bracket": category.bracket_label(),
            "title": self.title,
            "story": self.story,
            "answers": answers,
            "website": self.website,
            "video": self.video,
            "attachments": [
                {
                    # A file's own name may name the committee: not shown when blind.
                    "name": _("Document %(n)s") % {"n": index}
                    if category.blind
                    else a.display_name,
                    "is_image": a.kind == Attachment.Kind.IMAGE,
                    "url": reverse("awards:attachment", kwargs={"pk": a.pk, "size": a.serve_size}),
                    "thumb": reverse("awards:attachment", kwargs={"pk": a.pk, "size": "thumb"})
                    if a.kind == Attachment.Kind.IMAGE
                    else "",
                }
                for index, a in enumerate(self.attachments.all(), start=1)
            ],
            "blind": category.blind,
        }
        if not category.blind:
            context.update(
                committee=self.member.name,
                community=self.community.name,
                partner=self.partner.name if self.partner else "",
                nominee=self.nominee_name,
            )
        return Work(template="awards/review_work.html", context=context)

    def conflict_keys(self) -> set[str]:
        keys = {f"member:{self.member_id}", f"community:{self.community_id}"}
        keys.update(
            f"community:{pk}" for pk in self.member.communities.values_list("pk", flat=True)
        )
        if self.nominated_by_id:
            keys.add(f"user:{self.nominated_by_id}")
        return keys

    def review_eligibility(self) -> tuple[bool, str]:
        if self.state != self.State.SUBMITTED:
            return False, str(_("The nomination is not submitted (or not confirmed)."))
        return True, ""


class Attachment(TimeStampedModel):
    """A photo or PDF of a nomination, through the upload pipeline: only derivatives are kept
    (re-encoded, without metadata), in private storage, served by a permission-checked view."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Photo")
        PDF = "pdf", _("PDF document")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    display_name = models.CharField(_("file name"), max_length=100)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    file_name = models.CharField(max_length=200)
    mime = models.CharField(max_length=100)
    thumb_name = models.CharField(max_length=200, blank=True)
    thumb_mime = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["nomination", "pk"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def serve_size(self) -> str:
        return "display" if self.kind == self.Kind.IMAGE else "document"


class HonourQuerySet(models.QuerySet["Honour"]):
    def public(self) -> "HonourQuerySet":
        """Honours of announced cycles, and imported past years (no cycle)."""
        return self.filter(Q(cycle__isnull=True) | Q(cycle__announced_at__isnull=False))


class Honour(TimeStampedModel):
    """A winner or honourable mention in the permanent archive: a snapshot taken when the
    cycle's results are announced (names as they were that year), or a past year's winner
    entered by staff."""

    class Outcome(models.TextChoices):
        WINNER = "winner", _("Winner")
        HONOURABLE_MENTION = "honourable_mention", _("Honourable mention")

    cycle = models.ForeignKey(
        Cycle, null=True, blank=True, on_delete=models.CASCADE, related_name="honours"
    )
    nomination = models.OneToOneField(
        Nomination, null=True, blank=True, on_delete=models.SET_NULL, related_name="honour"
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    category = models.CharField(_("category"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    member = models.ForeignKey(
        "network.Member",
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="award_honours",
    )
    committee = models.CharField(_("committee"), max_length=200)
    community = models.ForeignKey(
        "network.Community",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="award_honours",
    )
    community_name = models.CharField(_("community"), max_length=200)
    partner_name = models.CharField(_("partner city"), max_length=200, blank=True)
    nominee_name = models.CharField(_("nominee"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    story = models.TextField(_("the story"), blank=True)
    certificate_file = models.CharField(max_length=200, blank=True)
    # The certificate as the documents app keeps it (texts and values, to make it again).
    certificate_document = models.OneToOneField(
        "documents.GeneratedDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = HonourQuerySet.as_manager()

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "category", "outcome", "community_name"]

    def __str__(self) -> str:
        return f"{self.year} {self.category}: {self.community_name}"

    def get_absolute_url(self) -> str:
        return reverse("awards:winner", kwargs={"pk": self.pk})

    def honour_text(self) -> str:
        if self.outcome == self.Outcome.WINNER:
            return f"{self.category} ({self.year})"
        return str(_("%(category)s, honourable mention (%(year)s)")) % {
            "category": self.category,
            "year": self.year,
        }


def stored_file_names() -> set[str]:
    """Every private file the awards rows name (for the orphan sweep)."""
    names: set[str] = set()
    for file_name, thumb in Attachment.objects.values_list("file_name", "thumb_name"):
        names.update(n for n in (file_name, thumb) if n)
    names.update(
        Honour.objects.exclude(certificate_file="").values_list("certificate_file", flat=True)
    )
    return names
