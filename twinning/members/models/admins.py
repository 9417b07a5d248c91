"""Invitations of a member's co-admins."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from twinning.core.models import TimeStampedModel
from twinning.network.models import Member


class CoAdminInvitation(TimeStampedModel):
    """An invitation to help run a member organisation's portal. Only a hash of the token is
    stored; the token is single-use and expires (AUTH-11)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="admin_invitations")
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-admin invitation")
        verbose_name_plural = _("co-admin invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.member}"
