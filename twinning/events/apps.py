from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "twinning.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from twinning.events import emails, navigation
        from twinning.events.services.summit_apply import register_youth_program

        register_youth_program()
        emails.register()
        navigation.register()
