"""Registration: tickets with prices and quotas, orders (one person's or a committee's
delegation, with one invoice), attendees with their single-use details link and check-in code,
questions and answers, the waiting list with its offers, check-ins."""

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel
from twinning.members.models import MONEY, ZERO, Invoice
from twinning.network.models import Community, Country, Member

from .events import Event


def new_code() -> str:
    """A check-in code: 10 characters without look-alikes (no 0/O, 1/I/L), easy to type."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Ticket(TimeStampedModel):
    """A kind of ticket with its prices and quota. The member price applies only to people of
    a member committee in good standing; the early-bird price until `early_bird_until`."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tickets")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(_("price"), **MONEY, default=ZERO)
    member_price = models.DecimalField(_("member price"), **MONEY, null=True, blank=True)
    early_bird_price = models.DecimalField(_("early-bird price"), **MONEY, null=True, blank=True)
    early_bird_until = models.DateTimeField(_("early bird until"), null=True, blank=True)
    quota = models.PositiveIntegerField(_("quota"), null=True, blank=True)
    # Youth tickets (the summit) need a young person's application and guardian consent.
    for_youth = models.BooleanField(_("for students (summit)"), default=False)
    available_from = models.DateTimeField(_("on sale from"), null=True, blank=True)
    available_until = models.DateTimeField(_("on sale until"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["event", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="ticket_price_not_negative"),
            models.CheckConstraint(
                condition=Q(member_price__isnull=True) | Q(member_price__gte=0),
                name="ticket_member_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.name}"


class Question(models.Model):
    """A question asked once per order or once per attendee (of one ticket, or every ticket)."""

    class Scope(models.TextChoices):
        ORDER = "order", _("Once per order")
        ATTENDEE = "attendee", _("For each attendee")

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("One of a list")
        BOOLEAN = "boolean", _("Yes or no")
        CONSENT = "consent", _("Consent (must be accepted)")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="questions"
    )
    scope = models.CharField(_("asked"), max_length=10, choices=Scope.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["event", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class OrderQuerySet(models.QuerySet["Order"]):
    def visible_to(self, user: Any) -> "OrderQuerySet":
        """Staff all; the buyer their own; a committee admin their committee's delegations."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_staff:
            return self
        return self.filter(Q(buyer=user) | Q(member__admins=user)).distinct()


class Order(TimeStampedModel):
    """One registration: a person's own, or a delegation a committee admin registers for
    several people of the committee on one order and one invoice."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting approval or payment")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="orders")
    code = models.CharField(_("order code"), max_length=12, unique=True, default=new_code)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_orders",
    )
    email = models.EmailField(_("e-mail"))
    # Set for a committee's delegation (and for anyone registering at the member price).
    member = models.ForeignKey(
        Member,
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_orders",
    )
    is_delegation = models.BooleanField(_("delegation"), default=False)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING, db_index=True
    )
    total = models.DecimalField(_("total"), **MONEY, default=ZERO)
    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("invoice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_orders",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The staff registration list's committee filter (the committees with an order on
            # the event) read from the index alone: at 3,500 orders it cost a row lookup each
            # (bench/events.py).
            models.Index(fields=["event", "member"], name="order_event_member"),
        ]

    def __str__(self) -> str:
        return self.code


class AttendeeQuerySet(models.QuerySet["Attendee"]):
    def holding_seats(self) -> "AttendeeQuerySet":
        """Attendees who take a seat from the capacity (applied ones hold theirs too, so an
        approval can never oversell)."""
        return self.filter(
            state__in=[
                Attendee.State.APPLIED,
                Attendee.State.APPROVED,
                Attendee.State.CONFIRMED,
            ]
        )


class Attendee(TimeStampedModel):
    """One person on an order: their ticket, their state, their badge details and their
    check-in code. Restricted details (medical, allergies) live apart, in the summit's model,
    so a delegation leader's pages cannot reach them by accident."""

    class State(models.TextChoices):
        APPLIED = "applied", _("Applied (awaiting approval)")
        APPROVED = "approved", _("Approved (awaiting payment or details)")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    class Role(models.TextChoices):
        DELEGATE = "delegate", _("Delegate")
        STUDENT = "student", _("Student")
        CHAPERONE = "chaperone", _("Chaperone")
        SPEAKER = "speaker", _("Speaker")
        HONOREE = "honoree", _("Honoree")
        STAFF = "staff", _("Staff")
        GUEST = "guest", _("Guest")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Another gender")
        UNSAID = "", _("Prefer not to say")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="attendees")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="attendees")
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_attendances",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.DELEGATE)
    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.CharField(_("committee or organisation"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.CONFIRMED, db_index=True
    )
    price = models.DecimalField(_("price"), **MONEY, default=ZERO)
    price_reason = models.CharField(_("price applied"), max_length=200, blank=True)
    code = models.CharField(_("check-in code"), max_length=12, unique=True, default=new_code)
    # The attendee's own single-use link to complete their details (SHA-256 of the token).
    details_token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    details_token_expires_at = models.DateTimeField(null=True, blank=True)
    details_completed_at = models.DateTimeField(_("details completed at"), null=True, blank=True)
    name_changed_at = models.DateTimeField(_("name changed at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = AttendeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            # By state, and the door's counts after each scan (confirmed attendees, their
            # orders, who is in) read from the index alone (bench/events.py).
            models.Index(
                fields=["event", "state", "order", "checked_in_at"], name="attendee_event_door"
            ),
            # The seats held per ticket (the event page's "what remains", the capacity check)
            # counted from the index alone, grouped in its order: at 10,000 registrations a
            # fifth of the time it took through the table (bench/events.py).
            models.Index(fields=["event", "ticket", "state"], name="attendee_event_ticket_state"),
            # The staff registration list's order: its first page read from the index, not a
            # sort of every registration (bench/events.py, 10,000 registrations).
            models.Index(
                fields=["event", "last_name", "first_name", "id"], name="attendee_event_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Answer(models.Model):
    """An answer to a question: for the order (attendee empty) or for one attendee."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="answers")
    attendee = models.ForeignKey(
        Attendee, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    value = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "order", "attendee"],
                name="answer_once",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return self.value[:50]


class WaitingListEntry(TimeStampedModel):
    """A party (one or several people) waiting for seats. States: waiting → offered →
    accepted | expired | declined; waiting or offered → removed. An expired or declined offer
    passes to the next party that fits."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered seats")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Offer expired")
        DECLINED = "declined", _("Offer declined")
        REMOVED = "removed", _("Left the list")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="waiting_list")
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="waiting_list"
    )
    party_size = models.PositiveSmallIntegerField(_("party size"), default=1)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING, db_index=True
    )
    offer_token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(party_size__gte=1), name="waiting_party_size_pos"),
            models.CheckConstraint(
                condition=~Q(state="offered") | Q(offer_expires_at__isnull=False),
                name="waiting_offer_has_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.party_size})"


class CheckIn(models.Model):
    """One check-in (a scan on the staff page, or a row merged back from the offline list).
    The attendee's `checked_in_at` keeps the first; later scans are answered with it."""

    class Source(models.TextChoices):
        ONLINE = "online", _("Check-in page")
        OFFLINE = "offline", _("Offline list, merged")

    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="check_ins")
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    device = models.CharField(_("device"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["attendee", "at", "source"], name="checkin_once_per_scan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attendee} {self.at:%Y-%m-%d %H:%M}"
