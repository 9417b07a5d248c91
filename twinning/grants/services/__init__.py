"""The funding programs' writes (C4), by sub-domain: programs and calls, applications and
signatures, review and decisions, grants and reports."""

from twinning.grants.services.applications import (
    send_signature_link,
    sign_application,
    sign_with_token,
    start_application,
    submit_application,
    update_application,
    update_side,
)
from twinning.grants.services.decisions import (
    accept_proposal,
    decide_application,
    open_review,
    publish_decisions,
)
from twinning.grants.services.grants import (
    add_receipt,
    approve_report,
    close_grant,
    pay_tranche,
    return_report,
    send_report_reminders,
    submit_report,
)
from twinning.grants.services.programs import create_call, create_program, save_call, save_program

__all__ = [
    "accept_proposal",
    "add_receipt",
    "approve_report",
    "close_grant",
    "create_call",
    "create_program",
    "decide_application",
    "open_review",
    "pay_tranche",
    "publish_decisions",
    "return_report",
    "save_call",
    "save_program",
    "send_report_reminders",
    "send_signature_link",
    "sign_application",
    "sign_with_token",
    "start_application",
    "submit_application",
    "submit_report",
    "update_application",
    "update_side",
]
