"""The per-member summary the dashboards read."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from twinning.members.models.memberships import Status
from twinning.members.models.types import MONEY, ZERO
from twinning.network.models import Member


class MemberSummary(models.Model):
    """What the staff member list filters, sorts and counts on, stored per member so the list
    pages in SQL (LOAD-1, LOAD-5): the status on `computed_on` (the membership
    that speaks for the member, `twinning.members.status`), that membership's end and the
    balance owed. Written only by `refresh_member_summaries`, which every service that changes
    a membership, an invoice or a payment calls. A status changes by the calendar alone on
    `valid_until` + 1 day: the scheduled `refresh_member_status` and the list itself refresh
    rows past it. No row: the member has never applied and owes nothing."""

    member = models.OneToOneField(
        Member, primary_key=True, on_delete=models.CASCADE, related_name="summary"
    )
    # None: no membership, as in the computed annotation (`members_with_status`).
    status = models.CharField(  # noqa: DJ001
        _("status"), max_length=10, choices=Status.choices, null=True, blank=True
    )
    membership_end = models.DateField(_("membership ends"), null=True, blank=True)
    balance_owed = models.DecimalField(_("balance owed"), **MONEY, default=ZERO)
    computed_on = models.DateField(_("computed for"))
    # The last day on which `status` holds without any write (None: until the next write).
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("member summary")
        verbose_name_plural = _("member summaries")
        indexes = [
            models.Index(fields=["status"], name="membersummary_status"),
            models.Index(fields=["valid_until"], name="membersummary_valid_until"),
            models.Index(fields=["computed_on"], name="membersummary_computed_on"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.status or '-'}"
