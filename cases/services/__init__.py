"""State-changing actions of the cases app; views, tasks and other apps call these."""

from cases.services.casework import (
    case_assign_investigator,
    case_deadline_add,
    case_deadline_met,
    case_finding_record,
    case_interview_record,
    case_note_add,
    case_suspend,
    case_suspension_lift,
    investigator_conflict,
    send_deadline_reminders,
)
from cases.services.endings import case_end_early, case_reopen
from cases.services.evidence import evidence_add_to_case, evidence_record_download, evidence_verify
from cases.services.hearings import case_hearing_record_held, case_hearing_schedule, earliest_hearing_date
from cases.services.letters import case_letter_make, letter_template_update
from cases.services.outcomes import appeal_decide, appeal_lodge, case_close, outcome_check, outcome_record
from cases.services.reports import (
    incident_report_create,
    report_ask_reporter,
    report_close_no_action,
    report_merge,
    report_open_case,
    report_reply,
)

__all__ = [
    "appeal_decide",
    "appeal_lodge",
    "case_assign_investigator",
    "case_close",
    "case_deadline_add",
    "case_deadline_met",
    "case_end_early",
    "case_finding_record",
    "case_hearing_record_held",
    "case_hearing_schedule",
    "case_interview_record",
    "case_letter_make",
    "case_note_add",
    "case_reopen",
    "case_suspend",
    "case_suspension_lift",
    "earliest_hearing_date",
    "evidence_add_to_case",
    "evidence_record_download",
    "evidence_verify",
    "incident_report_create",
    "investigator_conflict",
    "letter_template_update",
    "outcome_check",
    "outcome_record",
    "report_ask_reporter",
    "report_close_no_action",
    "report_merge",
    "report_open_case",
    "report_reply",
    "send_deadline_reminders",
]
