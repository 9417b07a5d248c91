"""The resource library (toolkits and publications): resources (a document, a link or a video
recording), their topics, their versions with a change note, the groups of language versions
of one resource, every download, and the search index's stemmed text."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel

FOLDER = "library"  # private storage folder of every uploaded file (core.orphans)

# The topics the library starts with (migration 0002); staff add more.
DEFAULT_TOPICS = [
    ("exchanges", _("Exchanges")),
    ("fundraising", _("Fundraising")),
    ("advocacy", _("Advocacy")),
    ("business-exchange", _("Business exchange")),
    ("creative-economies", _("Creative economies")),
    ("youth", _("Youth")),
    ("municipal-peer-learning", _("Municipal peer learning")),
    ("disaster-relief", _("Disaster relief")),
]


class Topic(TimeStampedModel):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=90, unique=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TranslationGroup(TimeStampedModel):
    """Resources that are translations of each other; each member has its own language."""

    class Meta:
        verbose_name = _("group of language versions")
        verbose_name_plural = _("groups of language versions")

    def __str__(self) -> str:
        return f"#{self.pk}"


class ResourceQuerySet(models.QuerySet["Resource"]):
    def open_to(self, access: Any) -> "ResourceQuerySet":
        """What `access` (library.access.Access) may open: public resources, member-only
        ones for members in good standing and staff, staff-only ones for staff."""
        from twinning.library.access import open_levels

        return self.filter(access__in=open_levels(access))

    def shown_to(self, access: Any) -> "ResourceQuerySet":
        """What `access` may know exists: all but staff-only resources for non-staff (a
        member-only resource's page tells others why they cannot open it)."""
        if access.is_staff:
            return self.all()
        return self.exclude(access=Resource.Access.STAFF)

    def featured(self) -> "ResourceQuerySet":
        return self.filter(featured=True)


class Resource(TimeStampedModel):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        LINK = "link", _("Link")
        RECORDING = "recording", _("Video recording")

    class Access(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Members in good standing")
        STAFF = "staff", _("Staff only")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(_("summary"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    access = models.CharField(
        _("who may open it"), max_length=10, choices=Access.choices, default=Access.MEMBERS
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), related_name="resources", blank=True
    )
    partner = models.CharField(
        _("partner organisation credited"),
        max_length=200,
        blank=True,
        help_text=_("The organisation that wrote or co-produced it, as it should be credited."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where it comes from, e.g. the webinar a recording was made at."),
    )
    featured = models.BooleanField(
        _("featured"),
        default=False,
        help_text=_("Shown on the home page and in committees' dashboards."),
    )
    translation_group = models.ForeignKey(
        TranslationGroup,
        verbose_name=_("language versions"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["title"]
        # The search's cache key reads the latest change (search.library_version).
        indexes = [models.Index(fields=["updated_at"], name="library_resource_changed")]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_group", "language"],
                condition=Q(translation_group__isnull=False),
                name="library_one_resource_per_language_in_a_group",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:resource_detail", args=[self.slug])

    @property
    def is_file(self) -> bool:
        return self.kind == self.Kind.DOCUMENT


class VersionQuerySet(models.QuerySet["Version"]):
    def current(self) -> "VersionQuerySet":
        """The latest version of each resource."""
        latest = Version.objects.filter(resource=models.OuterRef("resource")).order_by("-number")
        return self.filter(pk=models.Subquery(latest.values("pk")[:1]))


class Version(TimeStampedModel):
    """One version of a resource: a stored file (documents) or an address (links and
    recordings), with what changed. The highest number is the current one; older ones stay
    reachable at their own address."""

    class TextState(models.TextChoices):
        PENDING = "pending", _("Text being read")
        DONE = "done", _("Text indexed")
        NONE = "none", _("No text to index")
        FAILED = "failed", _("Text could not be read")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    change_note = models.CharField(_("what changed"), max_length=500, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    file = models.CharField(max_length=200, blank=True)  # private storage name
    mime = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    file_name = models.CharField(_("file name"), max_length=120, blank=True)
    text = models.TextField(blank=True)  # extracted from the file, for search
    text_state = models.CharField(max_length=10, choices=TextState.choices, default=TextState.NONE)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "number"], name="library_one_version_number_per_resource"
            ),
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="library_version_has_a_file_or_an_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("library:version_detail", args=[self.resource.slug, self.number])


def next_version_number(resource: Resource) -> int:
    return (resource.versions.aggregate(top=Max("number"))["top"] or 0) + 1


class Download(models.Model):
    """One opening of a resource (a file downloaded or a link followed), by whom and for which
    member organisation, for staff's statistics."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="downloads")
    version = models.ForeignKey(
        Version, on_delete=models.SET_NULL, null=True, blank=True, related_name="downloads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_downloads",
    )
    member = models.ForeignKey(
        "network.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_downloads",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.resource} ({self.at:%Y-%m-%d})"


class SearchEntry(models.Model):
    """A resource's text as the search reads it: folded and stemmed in the resource's language
    (library/search.py), and its words unstemmed for prefix matching. On SQLite the FTS5 table
    `library_search_fts` holds the same text."""

    resource = models.OneToOneField(
        Resource, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    # The title's and body's words folded but not stemmed, each once: what a prefix matches.
    words = models.TextField(blank=True)
    # When the entry was last written: the search's cache key reads the latest one
    # (search.library_version), since an entry is also rewritten without its resource being
    # saved (a file's text read in the background).
    indexed_at = models.DateTimeField(auto_now=True, db_index=True)
    # PostgreSQL only (null on SQLite, where the FTS5 table holds the text): the same text as
    # stored tsvectors, written with the entry (search.index_resource), so a query matches
    # through the GIN index on `stems_vector || words_vector` (migration 0005) instead of
    # building every entry's tsvector. Two vectors, because the rank scores the stems (A
    # title, B body) and the words begun (C) apart.
    stems_vector = SearchVectorField(null=True, editable=False)
    words_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return str(self.resource)


def stored_file_names() -> Iterable[str]:
    """Every file a version names (core.orphans sweeps the rest of the folder)."""
    return Version.objects.exclude(file="").values_list("file", flat=True)
