"""Staff's texts per document and language, each saved text a new version
(`DocumentTemplate`), and every document generated (`GeneratedDocument`), kept with the exact
texts and values it was made from so it can be made again word for word."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel


class DocumentTemplateQuerySet(models.QuerySet["DocumentTemplate"]):
    def current(self) -> "DocumentTemplateQuerySet":
        """The newest version of each (kind, language)."""
        newest = (
            DocumentTemplate.objects.filter(kind=models.OuterRef("kind"))
            .filter(language=models.OuterRef("language"))
            .order_by("-version")
            .values("version")[:1]
        )
        return self.filter(version=models.Subquery(newest))

    def languages_of(self, kind: str) -> set[str]:
        return set(self.filter(kind=kind).values_list("language", flat=True))


class DocumentTemplate(models.Model):
    """One version of staff's text for a document in a language. Versions are never changed:
    a save adds the next one, so what a generated document was made from stays on record."""

    kind = models.CharField(_("document"), max_length=60)
    language = models.CharField(_("language"), max_length=10)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DocumentTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("document text")
        verbose_name_plural = _("document texts")
        ordering = ["kind", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language", "version"], name="documents_one_version"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="documents_version_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.language}) v{self.version}"

    @classmethod
    def next_version(cls, kind: str, language: str) -> int:
        found = cls.objects.filter(kind=kind, language=language).aggregate(top=Max("version"))
        return (found["top"] or 0) + 1


class GeneratedDocumentQuerySet(models.QuerySet["GeneratedDocument"]):
    def of_member(self, member: Any) -> "GeneratedDocumentQuerySet":
        return self.filter(member=member)


class GeneratedDocument(TimeStampedModel):
    """A document made for a member: the texts it was made from (`sources`: language, version,
    title, body), the values filled in (`inputs`), the texts as written (`texts`) and its PDF
    (built in the background, kept in private storage)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("document"), max_length=60, db_index=True)
    member = models.ForeignKey(
        "network.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    partnership = models.ForeignKey(
        "network.Partnership",
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    sources = models.JSONField(default=list)
    inputs = models.JSONField(default=dict)
    texts = models.JSONField(default=list)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    regenerated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = GeneratedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def title(self) -> str:
        return str(self.texts[0]["title"]) if self.texts else self.kind

    @property
    def languages(self) -> list[str]:
        return [str(text["language"]) for text in self.texts]


def stored_file_names() -> list[str]:
    return list(GeneratedDocument.objects.exclude(file_name="").values_list("file_name", flat=True))
