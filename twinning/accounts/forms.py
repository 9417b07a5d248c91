"""Forms of the accounts pages: sign-in, sign-up, second factor, profile, password reset."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from twinning.accounts.models import User
from twinning.accounts.services import send_password_reset

# One message for a wrong password, an unknown address and a disabled account (AUTH-4).
INVALID_LOGIN = _(
    "The e-mail address or the password is not right. Check both and try again, "
    "or reset your password."
)
UNCONFIRMED = _(
    "Confirm your e-mail address first: open the link we sent you when you signed up. "
    "No e-mail? Sign up again with the same address to get a new link."
)


class LoginForm(auth_forms.AuthenticationForm):
    """E-mail and password; refused while a sign-in limit is reached (AUTH-2)."""

    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": INVALID_LOGIN,
        "inactive": INVALID_LOGIN,
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            # The limit is checked inside authentication (it counts first): say so, not
            # "wrong password", when that is why the attempt was refused.
            refusal = getattr(self.request, "sign_in_refusal", None)
            if refusal is not None:
                raise ValidationError(refusal, code="rate_limited") from None
            if self._awaits_confirmation(
                self.cleaned_data.get("username"), self.cleaned_data.get("password")
            ):
                raise ValidationError(UNCONFIRMED, code="unconfirmed") from None
            raise

    @staticmethod
    def _awaits_confirmation(email: str | None, password: str | None) -> bool:
        """The right password of an account signed up but not confirmed yet: say so (only
        someone who knows the password learns that the account exists)."""
        if not email or not password:
            return False
        pending = User.objects.filter(
            email__iexact=email,
            is_active=False,
            signed_up_at__isnull=False,
            email_verified_at__isnull=True,
        ).first()
        return pending is not None and pending.check_password(password)


class TokenForm(forms.Form):
    """The six-digit code from an authenticator app."""

    token = forms.RegexField(
        label=_("Six-digit code"),
        regex=r"^\d{3} ?\d{3}$",
        error_messages={"invalid": _("Enter the six digits shown in your authenticator app.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "maxlength": 7,
                "size": 8,
            }
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].replace(" ", "")


class ReauthForm(forms.Form):
    """The password again, and for staff the code from their authenticator (B12)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    token = TokenForm.base_fields["token"]

    def __init__(self, *args: Any, with_code: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_code:
            self.fields["token"].widget.attrs.pop("autofocus", None)
        else:
            del self.fields["token"]

    def clean_token(self) -> str:
        return self.cleaned_data["token"].replace(" ", "")


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=User._meta.get_field("full_name").max_length,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        required=False,
        help_text=_("Pages and e-mails are shown in this language when it is offered."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("The site's default")), *settings.LANGUAGES]


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, with the e-mail queued through a service instead of sent inline,
    so a known and an unknown address get the same answer in the same time (AUTH-4)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def save(  # type: ignore[override]
        self,
        *,
        request: Any,
        use_https: bool = False,
        domain_override: str | None = None,
        **kwargs: Any,
    ) -> None:
        domain = domain_override or request.get_host()
        for user in self.get_users(self.cleaned_data["email"]):
            send_password_reset(
                user=user, domain=domain, use_https=use_https, language=get_language()
            )


class SignUpForm(forms.Form):
    """A new account: e-mail address, name and password (Django's password validators)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a link to this address: your account works once you open it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=User._meta.get_field("full_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ: type the same one twice."))
        elif first:
            candidate = User(email=data.get("email") or "", full_name=data.get("full_name") or "")
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data
