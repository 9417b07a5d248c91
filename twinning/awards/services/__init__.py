"""The awards' writes (C4), by sub-domain: cycles and categories, nominations, judging,
results, the archive's import."""

from twinning.awards.services.archive import import_honours
from twinning.awards.services.cycles import create_cycle, save_category, update_cycle
from twinning.awards.services.judging import decide_nomination, open_judging
from twinning.awards.services.nominations import (
    add_attachment,
    confirm_nomination,
    nomination_for_token,
    remove_attachment,
    start_nomination,
    submit_nomination,
    token_problem,
    update_nomination,
    withdraw_nomination,
)
from twinning.awards.services.results import announce_results, decisions_of

__all__ = [
    "add_attachment",
    "announce_results",
    "confirm_nomination",
    "create_cycle",
    "decide_nomination",
    "decisions_of",
    "import_honours",
    "nomination_for_token",
    "open_judging",
    "remove_attachment",
    "save_category",
    "start_nomination",
    "submit_nomination",
    "token_problem",
    "update_cycle",
    "update_nomination",
    "withdraw_nomination",
]
