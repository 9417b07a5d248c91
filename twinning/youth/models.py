"""A young person, their guardian, and the consents asked and answered for them, per program
and per scope (issue 8 §1; PRIV-4, RELIABILITY P-04)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel


class Guardian(models.Model):
    """A parent or guardian, known by their e-mail address only (they have no account). One
    guardian per young person; brothers and sisters share theirs."""

    email = models.EmailField(_("e-mail address"), unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class PersonQuerySet(models.QuerySet["Person"]):
    def in_program(self, program: str) -> "PersonQuerySet":
        """People a program has asked consent for (its participants, registered or pending)."""
        return self.filter(Exists(Consent.objects.filter(person=OuterRef("pk"), program=program)))


class Person(TimeStampedModel):
    """A young person: only what the programs need (PRIV-6): names, date of birth, community,
    optional school and, for a minor, their guardian. One row per person, whatever the
    programs they take part in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="young_person"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    community = models.ForeignKey(
        "network.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="young_people",
    )
    school = models.CharField(_("school"), max_length=200, blank=True)
    guardian = models.ForeignKey(
        Guardian,
        verbose_name=_("parent or guardian"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("young person")
        verbose_name_plural = _("young people")
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def guardian_email(self) -> str:
        return self.guardian.email if self.guardian is not None else ""

    def age_on(self, day: date) -> int:
        from twinning.youth.age import age_on

        return age_on(self.date_of_birth, day)

    def is_minor_on(self, day: date) -> bool:
        from twinning.youth.age import is_minor_on

        return is_minor_on(self.date_of_birth, day)


class ConsentScopeQuerySet(models.QuerySet["ConsentScope"]):
    def active(self) -> "ConsentScopeQuerySet":
        return self.filter(granted_at__isnull=False, withdrawn_at__isnull=True)


class ConsentQuerySet(models.QuerySet["Consent"]):
    def of_program(self, program: str) -> "ConsentQuerySet":
        return self.filter(program=program)

    def active(self, program: str, scope: str) -> "ConsentQuerySet":
        """Records of `program` whose `scope` is granted and not withdrawn."""
        return self.filter(
            Exists(ConsentScope.objects.active().filter(consent=OuterRef("pk"), scope=scope)),
            program=program,
        )

    def pending(self) -> "ConsentQuerySet":
        return self.filter(responded_at__isnull=True, token_hash__isnull=False)


class Consent(models.Model):
    """One consent request for one program and its answer (PRIV-4, P-04): who answered, when,
    to which notice (version and SHA-256 of its text), how the answer was verified, and per
    scope asked (ConsentScope) whether it was granted and whether it was withdrawn.

    A guardian answers through a single-use link sent to their address (AUTH-11); the link's
    token is stored only as a SHA-256 hash. An adult consents for themself while signed in."""

    class Verification(models.TextChoices):
        GUARDIAN_EMAIL_LINK = "guardian_email_link", _("Single-use link sent to the guardian")
        ADULT_SIGNED_IN = "adult_signed_in", _("The adult, signed in")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    program = models.CharField(_("program"), max_length=30, db_index=True)
    email = models.EmailField(_("e-mail of the person consenting"))
    verified_by = models.CharField(_("verified by"), max_length=30, choices=Verification.choices)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    token_expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)
    token_used_at = models.DateTimeField(_("link used at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    notice_version = models.CharField(_("notice version"), max_length=20, blank=True)
    notice_hash = models.CharField(_("notice text hash (SHA-256)"), max_length=64, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_verified_by_display()}: {self.email}"

    def _answers(self) -> list["ConsentScope"]:
        return list(self.answers.all())  # prefetch_related("answers") makes this free

    def is_active(self, scope: str) -> bool:
        return any(a.scope == scope and a.is_active for a in self._answers())

    def answer(self, scope: str) -> "ConsentScope | None":
        return next((a for a in self._answers() if a.scope == scope), None)

    @property
    def asked(self) -> list[str]:
        return [a.scope for a in self._answers()]

    @property
    def scopes(self) -> list[str]:
        """The scopes granted and not withdrawn, in the order asked."""
        return [a.scope for a in self._answers() if a.is_active]


class ConsentScope(models.Model):
    """One scope asked in a consent request (participation, publication, medical treatment,
    photos...): granted or not by the answer, withdrawn at once when withdrawn."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="answers")
    scope = models.CharField(_("scope"), max_length=30)
    granted_at = models.DateTimeField(_("consented at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = ConsentScopeQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent scope")
        verbose_name_plural = _("consent scopes")
        ordering = ["consent", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["consent", "scope"], name="youth_one_answer_per_scope"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(granted_at__isnull=False),
                name="youth_consent_scope_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return self.scope

    @property
    def is_active(self) -> bool:
        return self.granted_at is not None and self.withdrawn_at is None


def consent_active(program: str, scope: str, person: str = "pk") -> Exists:
    """Exists(...) for "`person` (an OuterRef path to a Person, e.g. "student" in an Entry
    queryset) has an active consent for `program` and `scope`": usable in filter() and
    annotate() of any queryset."""
    return Exists(
        ConsentScope.objects.active().filter(
            consent__person=OuterRef(person), consent__program=program, scope=scope
        )
    )
