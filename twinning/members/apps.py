from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "twinning.members"
    label = "members"
    verbose_name = _("Membership")

    def ready(self) -> None:
        from twinning.members import emails, payments, rules  # noqa: F401 - registrations

        payments.register_default_providers()
        from twinning.members import navigation

        navigation.register()
        from twinning.documents.access import register_membership_check
        from twinning.members.status import refusal_unless_current

        register_membership_check(refusal_unless_current)
