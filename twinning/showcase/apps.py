from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcaseConfig(AppConfig):
    name = "twinning.showcase"
    label = "showcase"
    verbose_name = _("Young Artists and Authors Showcase")

    def ready(self) -> None:
        from twinning.core.orphans import register_stored_files
        from twinning.members.calls import register_open_calls
        from twinning.review.interface import register_reviewable
        from twinning.showcase import emails, emails_results
        from twinning.showcase.calls import showcase_calls
        from twinning.showcase.models import Entry, stored_file_names

        emails.register()
        emails_results.register()
        register_reviewable(Entry)
        register_open_calls(showcase_calls)
        register_stored_files(
            "showcase",
            folders=["showcase/originals", "showcase/derivatives", "certificates"],
            names=stored_file_names,
        )
        from twinning.showcase import navigation

        navigation.register()
