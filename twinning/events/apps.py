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
        from twinning.core.orphans import register_stored_files
        from twinning.events.models import Speaker

        def speaker_files() -> list[str]:
            names = Speaker.objects.values_list("photo_file", "photo_thumb_file")
            return [name for pair in names for name in pair if name]

        # Speakers' photos left by a crash between storing and saving are swept like others.
        register_stored_files("events", folders=["events/speakers"], names=speaker_files)
