from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "twinning.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from twinning.accounts.sessions import set_session_expiry

        # A hook on Django's own sign-in event (C14: decoupling, not domain logic).
        user_logged_in.connect(set_session_expiry, dispatch_uid="accounts.set_session_expiry")

        from twinning.accounts.reauth import record_sign_in

        # Signing in is a password check: the re-authentication clock starts there (B12).
        user_logged_in.connect(record_sign_in, dispatch_uid="accounts.record_sign_in")

        from twinning.accounts import navigation

        navigation.register()
