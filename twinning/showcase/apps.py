from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def register_youth_program() -> None:
    """The showcase's consent scopes in youth's registry: taking part, and publication of a
    chosen work (which needs taking part). Minimum age 13 (an edition may ask more)."""
    from twinning.showcase.privacy import NOTICE_VERSION, notice_text
    from twinning.youth.programs import register_program

    register_program(
        "showcase",
        label=_("Young Artists and Authors Showcase"),
        scopes={"participation": _("taking part"), "publication": _("publication")},
        minimum_age=13,
        notice=notice_text,
        notice_version=NOTICE_VERSION,
        requires={
            "publication": (
                ("participation",),
                _("Publication is only possible for a student taking part."),
            )
        },
    )


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

        register_youth_program()
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
