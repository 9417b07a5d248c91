"""People who sign in: one User model keyed by e-mail (no usernames), from the first migration."""

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Association staff have `is_staff` and must use TOTP; a
    committee admin is a user listed as an admin of a member organisation (network app)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("association staff"),
        default=False,
        help_text=_("Staff run the registry and programs and must use two-factor sign-in."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    language = models.CharField(_("preferred language"), max_length=10, blank=True)
    # A person who signs up on the site (accounts.signup) gets an inactive account until they
    # confirm their address through the e-mailed link. Accounts made by staff have neither.
    signed_up_at = models.DateTimeField(_("signed up on the site at"), null=True, blank=True)
    email_verified_at = models.DateTimeField(
        _("e-mail address confirmed at"), null=True, blank=True
    )

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        # RELIABILITY P-07: association staff who may read special-category data (health,
        # passport, safeguarding notes) after re-authentication; an admin grants it in the
        # admin (a user's permissions, or a group holding it). twinning.core.special reads it.
        permissions = [
            (
                "staff_welfare",
                _("Staff welfare: may read health, passport and safeguarding data"),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def awaits_confirmation(self) -> bool:
        """Signed up, address not confirmed yet (not an account staff deactivated)."""
        return self.signed_up_at is not None and self.email_verified_at is None

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split() or [self.email])[0]
