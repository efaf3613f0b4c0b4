"""Pages of the cases app. Views validate input and call services; objects come through selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView, TemplateView

from audit.services import audit_read
from cases import letters, selectors, services
from cases.forms import (
    AppealDecisionForm,
    AppealForm,
    AssignForm,
    CaseEndForm,
    CaseFilterForm,
    CaseReopenForm,
    DeadlineForm,
    EvidenceForm,
    FindingForm,
    HearingForm,
    HearingHeldForm,
    IncidentReportForm,
    InterviewForm,
    LetterTemplateForm,
    NoteForm,
    OutcomeForm,
    ReceiptForm,
    ReceiptReplyForm,
    ReplyForm,
    SuspensionForm,
    TriageFilterForm,
    TriageForm,
)
from cases.models import (
    Case,
    CaseDeadline,
    CaseEntry,
    Clause,
    DisciplinaryOutcome,
    IncidentReport,
    LetterKind,
    LetterTemplate,
)
from core.forms import apply_service_errors
from core.forms import apply_service_errors as apply_errors
from core.keyset import SortKey, nullable_sort_keys
from core.pagination import EstimatedCountPaginator
from core.permissions import PermissionRequiredMixin, permission_required
from core.ui import KeysetPaginationMixin, SortableListMixin
from core.views import (
    FilteredListMixin,
    ObjectPermissionMixin,
    ServiceActionView,
    UploadLimitMixin,
    message_service_error,
)

# --- reporting -----------------------------------------------------------------------------------


class ReportCreateView(UploadLimitMixin, PermissionRequiredMixin, FormView):
    permission_required = "cases.report_concern"
    template_name = "cases/report_form.html"
    form_class = IncidentReportForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            report = services.incident_report_create(
                reporter=self.request.user,
                subject=data["subject"],
                subject_description=data["subject_description"],
                capacity=data["capacity"],
                platform=data["platform"],
                link=data["link"],
                occurred_at=data["occurred_at"],
                description=data["description"],
                categories=data["categories"],
                files=data["files"],
                anonymous=data["anonymous"],
                on_behalf_of=data.get("on_behalf_of", ""),
                submission_token=data["submission_token"],
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "duplicate":
                messages.info(self.request, "Your report was already received; it was not sent twice.")
                return redirect("cases:mine")
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        if report.anonymous:
            # Rendered, not redirected: the key exists only in this response and, hashed, in the database.
            return render(self.request, "cases/report_receipt.html", {"report": report, "key": report.receipt_key})
        messages.success(self.request, f"Thank you. Your report {report.reference} has been sent to HR.")
        return redirect("cases:report_status", pk=report.pk)


class MineView(PermissionRequiredMixin, TemplateView):
    permission_required = "cases.view_own_items"
    template_name = "cases/mine.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reports"] = selectors.reports_by(self.request.user)
        context["cases"] = selectors.cases_about(self.request.user)
        return context


class ReportStatusView(ObjectPermissionMixin, FormView):
    """The reporter's view of their own report: status and the conversation with HR, never the case."""

    permission_required = "cases.follow_report"
    template_name = "cases/report_status.html"
    form_class = ReplyForm

    def load_object(self):
        return selectors.report_get_for_reporter(self.request.user, self.kwargs["pk"])

    @property
    def report(self):
        return self.get_permission_object()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = self.report
        context["conversation"] = self.report.messages.all()
        return context

    def form_valid(self, form):
        try:
            services.report_reply(actor=self.request.user, report=self.report, body=form.cleaned_data["body"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Your reply has been sent to HR.")
        return redirect("cases:report_status", pk=self.report.pk)


class ReceiptView(PermissionRequiredMixin, TemplateView):
    """An anonymous reporter checks progress and answers HR with the receipt key. The key is never kept
    in the session and nothing about this visit is linked to the signed-in user."""

    permission_required = "cases.view_own_items"
    template_name = "cases/receipt.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response({"form": ReceiptForm()})

    def post(self, request, *args, **kwargs):
        replying = "body" in request.POST
        form = (ReceiptReplyForm if replying else ReceiptForm)(request.POST)
        if not form.is_valid():
            return self.render_to_response({"form": form}, status=200)
        report = selectors.report_get_by_receipt(form.cleaned_data["key"])
        if report is None:
            form.add_error("key", "No report matches that key. Check it and try again.")
            return self.render_to_response({"form": form})
        reply_form = ReplyForm()
        if replying:
            try:
                services.report_reply(
                    actor=request.user,
                    report=report,
                    body=form.cleaned_data["body"],
                    receipt_key=form.cleaned_data["key"],
                )
            except ValidationError as exc:
                reply_form = ReplyForm(request.POST)
                apply_service_errors(reply_form, exc)
            else:
                messages.success(request, "Your reply has been sent to HR.")
        key = form.cleaned_data["key"]
        return self.render_to_response(
            {
                "form": ReceiptForm(initial={"key": key}),
                "report": report,
                "key": key,
                "conversation": report.messages.all(),
                "reply_form": reply_form,
            }
        )


# --- triage --------------------------------------------------------------------------------------


class TriageListView(PermissionRequiredMixin, SortableListMixin, ListView):
    permission_required = "cases.triage_queue"
    paginator_class = EstimatedCountPaginator
    template_name = "cases/triage_list.html"
    context_object_name = "reports"
    sortable_fields = {
        "reported": "reported_at",
        "occurred": "occurred_at",
        "subject": "subject__last_name",
        "status": "status",
        "reference": "reference",
    }
    default_sort = "reported"

    def get_queryset(self):
        params = self.request.GET.copy()
        params.setdefault("status", "open")
        self.filter_form = TriageFilterForm(params)
        qs = selectors.reports_for_triage(self.request.user)
        if self.filter_form.is_valid():
            status, q = self.filter_form.cleaned_data["status"], self.filter_form.cleaned_data["q"]
            if status == "open":
                qs = qs.filter(status__in=IncidentReport.OPEN_STATES)
            elif status:
                qs = qs.filter(status=status)
            for word in q.split():
                qs = qs.filter(
                    Q(reference__icontains=word)
                    | Q(subject__first_name__icontains=word)
                    | Q(subject__last_name__icontains=word)
                    | Q(subject_description__icontains=word)
                )
        return self.sort_queryset(qs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "filter_form": self.filter_form}


class ReportDetailView(ObjectPermissionMixin, FormView):
    """HR's view of one report, with the triage decision form."""

    permission_required = "cases.triage_report"
    template_name = "cases/report_detail.html"
    form_class = TriageForm

    def load_object(self):
        return selectors.report_get_for_hr(self.request.user, self.kwargs["pk"])

    @property
    def report(self):
        return self.get_permission_object()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "report": self.report}

    def get(self, request, *args, **kwargs):
        audit_read(actor=request.user, obj=self.report)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        context.update(
            report=report,
            evidence=report.evidence.all(),
            conversation=report.messages.select_related("author"),
            duplicates=selectors.possible_duplicates(report),
            open_cases=selectors.open_cases_about(report.subject_id),
            age=selectors.report_age_days(report),
        )
        return context

    def form_valid(self, form):
        data, actor, report = form.cleaned_data, self.request.user, self.report
        try:
            decision = data["decision"]
            if decision == TriageForm.Decision.OPEN_CASE:
                case = services.report_open_case(actor=actor, report=report, summary=data["summary"])
                messages.success(self.request, f"Case {case.reference} opened. Assign an investigating officer next.")
                return redirect(case)
            if decision == TriageForm.Decision.MERGE:
                case = services.report_merge(actor=actor, report=report, case=data["case"])
                messages.success(self.request, f"{report.reference} added to {case.reference}.")
                return redirect(case)
            if decision == TriageForm.Decision.ASK:
                services.report_ask_reporter(actor=actor, report=report, question=data["question"])
                messages.success(self.request, "Your question was sent to the reporter.")
                return redirect(report)
            services.report_close_no_action(actor=actor, report=report, reason=data["reason"])
            messages.success(self.request, f"{report.reference}: no further action.")
            return redirect("cases:triage")
        except ValidationError as exc:
            if getattr(exc, "code", None) == "already_decided":
                messages.warning(self.request, exc.messages[0])
                return redirect(report)
            apply_service_errors(form, exc)
            return self.form_invalid(form)


# --- cases ---------------------------------------------------------------------------------------


class CaseListView(PermissionRequiredMixin, FilteredListMixin, SortableListMixin, KeysetPaginationMixin, ListView):
    """HR's list of every case (an investigator's of theirs), paged by keyset: the last of 100,000 cases
    costs what the first page does."""

    permission_required = "cases.list_cases"
    filter_form_class = CaseFilterForm
    paginator_class = EstimatedCountPaginator  # the number of cases only; pages are keyset
    template_name = "cases/case_list.html"
    context_object_name = "cases"
    sortable_fields = {
        "opened": "opened_at",
        "reference": "reference",
        "subject": "subject__last_name",
        "status": "status",
        "officer": "investigating_officer__last_name",
    }
    keyset_sorts = {
        "opened": lambda desc: [SortKey("opened_at", desc, "datetime")],
        "reference": lambda desc: [SortKey("reference", desc)],
        "subject": lambda desc: [SortKey("subject__last_name", desc)],
        "status": lambda desc: [SortKey("status", desc)],
        "officer": lambda desc: nullable_sort_keys("investigating_officer__last_name", descending=desc),
    }
    default_sort = "-opened"

    def get_queryset(self):
        qs = selectors.cases_visible_to(self.request.user)
        if data := self.filters():
            if data["status"]:
                qs = qs.filter(status=data["status"])
            if data["organisation"]:
                qs = qs.filter(organisation=data["organisation"])
            for word in data["q"].split():
                qs = qs.filter(
                    Q(reference__icontains=word)
                    | Q(subject__first_name__icontains=word)
                    | Q(subject__last_name__icontains=word)
                )
        return self.sort_queryset(qs)


class CaseObjectMixin(ObjectPermissionMixin):
    permission_required = "cases.view_case"

    def load_object(self):
        return selectors.case_get_for_user(self.request.user, self.kwargs["pk"], self.permission_required)

    @property
    def case(self):
        return self.get_permission_object()


class CaseDetailView(CaseObjectMixin, TemplateView):
    template_name = "cases/case_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        case = self.case
        audit_read(actor=user, obj=case)
        outcome = getattr(case, "outcome", None)
        appeal = getattr(case, "appeal", None)
        return {
            **super().get_context_data(**kwargs),
            "case": case,
            "reports": case.reports.select_related("reporter", "subject"),
            "entries": case.entries.select_related("author", "interviewee", "evidence"),
            "evidence": list(case.evidence.all()) + [e for r in case.reports.all() for e in r.evidence.all()],
            "deadlines": case.deadlines.all(),
            "outcome": outcome,
            "appeal": appeal,
            "can_manage": user.has_perm("cases.manage_case", case),
            "can_investigate": user.has_perm("cases.investigate_case", case),
            "can_decide_appeal": appeal is not None and user.has_perm("cases.decide_appeal", case),
            # The investigating officer reads each report here: the triage page is HR's alone.
            "can_open_reports": user.has_perm("cases.triage_queue"),
            "letters": case.letters.all(),
            "has_interview": case.entries.filter(kind=CaseEntry.Kind.INTERVIEW).exists(),
            "hearing_due": case.status == Case.Status.HEARING
            and not case.hearing_held
            and case.hearing_at is not None
            and case.hearing_at <= timezone.now(),
            "Status": Case.Status,
        }


class CaseActionView(CaseObjectMixin, ServiceActionView):
    """A form page that performs one service on a case; errors appear beside the fields."""

    permission_required = "cases.manage_case"
    template_name = "cases/case_action_form.html"

    def action_object(self):
        return self.case

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "case": self.case}


class CaseAssignView(CaseActionView):
    form_class = AssignForm
    title = "Assign the investigating officer"
    intro = "The officer cannot be the subject, anyone named in the case, or the subject's line manager if a party."
    button = "Assign"
    success_message = "Investigating officer assigned."

    def perform(self, data):
        services.case_assign_investigator(actor=self.request.user, case=self.case, officer=data["officer"])


class CaseNoteView(CaseActionView):
    permission_required = "cases.investigate_case"
    form_class = NoteForm
    title = "Add an internal note"
    button = "Add note"
    success_message = "Note added."

    def perform(self, data):
        services.case_note_add(actor=self.request.user, case=self.case, body=data["body"])


class CaseInterviewView(CaseActionView):
    permission_required = "cases.investigate_case"
    form_class = InterviewForm
    title = "Record an interview"
    intro = "The person interviewed is then named in the case and cannot handle it."
    button = "Record interview"
    success_message = "Interview recorded."

    def perform(self, data):
        services.case_interview_record(
            actor=self.request.user,
            case=self.case,
            interviewee=data["interviewee"],
            interviewee_name=data["interviewee_name"],
            interviewed_at=data["interviewed_at"],
            summary=data["summary"],
            statement=data["statement"],
        )


class CaseEvidenceView(UploadLimitMixin, CaseActionView):
    permission_required = "cases.investigate_case"
    form_class = EvidenceForm
    title = "Add evidence"
    intro = "Each file's SHA-256 is recorded at upload so that it can be re-verified later."
    button = "Upload"
    success_message = "Evidence added."

    def perform(self, data):
        services.evidence_add_to_case(
            actor=self.request.user, case=self.case, files=data["files"], description=data["description"]
        )


class CaseFindingView(CaseActionView):
    permission_required = "cases.investigate_case"
    form_class = FindingForm
    title = "Record the investigation finding"
    button = "Record finding"
    success_message = "Finding recorded; HR has been told."

    def perform(self, data):
        services.case_finding_record(
            actor=self.request.user,
            case=self.case,
            finding=data["finding"],
            serious_breach_found=data["serious_breach_found"],
        )


class CaseDeadlineView(CaseActionView):
    permission_required = "cases.investigate_case"
    form_class = DeadlineForm
    title = "Set a deadline"
    intro = "The investigating officer and HR are reminded before it falls due."
    button = "Set deadline"
    success_message = "Deadline set."

    def perform(self, data):
        services.case_deadline_add(actor=self.request.user, case=self.case, title=data["title"], due_on=data["due_on"])


class CaseSuspendView(CaseActionView):
    form_class = SuspensionForm
    title = "Precautionary suspension"
    intro = "A suspension is not a sanction: it protects the investigation and is reviewed on the date you set."
    button = "Suspend"
    success_message = "Suspension recorded; the employee has been told."

    def perform(self, data):
        services.case_suspend(
            actor=self.request.user,
            case=self.case,
            start=data["start"],
            reason=data["reason"],
            review_on=data["review_on"],
        )


class CaseHearingView(CaseActionView):
    form_class = HearingForm
    title = "Disciplinary hearing"
    intro = (
        "The employee is told of the hearing at once and may be accompanied by a colleague or a trade union "
        "representative. An adjourned hearing is moved here to its new date."
    )
    button = "Schedule hearing"
    success_message = "Hearing scheduled; the employee has been told."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "earliest": services.earliest_hearing_date()}

    def perform(self, data):
        services.case_hearing_schedule(
            actor=self.request.user,
            case=self.case,
            hearing_at=data["hearing_at"],
            panel=data["panel"],
            short_notice_reason=data["short_notice_reason"],
        )


class CaseHearingHeldView(CaseActionView):
    form_class = HearingHeldForm
    title = "Record that the hearing was held"
    intro = "An outcome can be recorded only once the hearing has taken place and is recorded here."
    button = "Record hearing"
    success_message = "Hearing recorded as held; the outcome can now be recorded."

    def perform(self, data):
        services.case_hearing_record_held(
            actor=self.request.user,
            case=self.case,
            attended=data["attended"],
            accompanied=data["accompanied"],
            companion=data["companion"],
            adjournments=data["adjournments"],
        )


class CaseEndView(CaseActionView):
    form_class = CaseEndForm
    title = "Close the case early"
    intro = (
        "The case ends here, without a disciplinary outcome. A case closed because the employee left is kept, "
        "marked as such. Any precautionary suspension ends with it. A case closed early can be reopened."
    )
    button = "Close the case"
    success_message = "Case closed; the reason is on its timeline."

    def perform(self, data):
        services.case_end_early(actor=self.request.user, case=self.case, ending=data["ending"], reason=data["reason"])


class CaseReopenView(CaseActionView):
    form_class = CaseReopenForm
    title = "Reopen the case"
    intro = "The case goes back to investigation; the reason is kept on its timeline and in the audit trail."
    button = "Reopen the case"
    success_message = "Case reopened."

    def perform(self, data):
        services.case_reopen(actor=self.request.user, case=self.case, reason=data["reason"])


class CaseOutcomeView(CaseActionView):
    """Two steps: the outcome is checked, then shown back for HR to confirm before the employee is told."""

    form_class = OutcomeForm
    title = "Record the disciplinary outcome"
    intro = (
        "Clause 7.1: breaches may lead to disciplinary action. Clause 7.3: summary dismissal for gross "
        "misconduct needs a recorded finding of a serious breach, such as bullying of colleagues through "
        "social media or serious damage to the school's reputation."
    )
    button = "Check the outcome"
    success_message = "Outcome recorded; the letter is ready and the employee has been told."

    def _arguments(self, data: dict) -> dict:
        return dict(
            actor=self.request.user,
            case=self.case,
            kind=data["kind"],
            reasons=data["reasons"],
            clauses_breached=data["clauses_breached"],
            serious_breach=data["serious_breach"],
            serious_breach_finding=data["serious_breach_finding"],
            warning_expires_on=data["warning_expires_on"],
        )

    def form_valid(self, form):
        if self.request.POST.get("confirmed") == "yes":
            return super().form_valid(form)
        if self.request.POST.get("edit") == "yes":
            return self.render_to_response(self.get_context_data(form=form))
        try:
            services.outcome_check(**self._arguments(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        data = form.cleaned_data
        hidden = [
            (name, value)
            for name in form.fields
            for value in self.request.POST.getlist(name)
            if name in self.request.POST
        ]
        return render(
            self.request,
            "cases/outcome_confirm.html",
            {
                "case": self.case,
                "title": "Confirm the outcome",
                "kind": DisciplinaryOutcome.Kind(data["kind"]).label,
                "clauses": [Clause(c).label for c in data["clauses_breached"]],
                "data": data,
                "hidden": hidden,
            },
        )

    def perform(self, data):
        services.outcome_record(**self._arguments(data))


class AppealDecideView(CaseActionView):
    permission_required = "cases.decide_appeal"
    form_class = AppealDecisionForm
    title = "Decide the appeal"
    intro = "You hear this appeal: you have not handled this case and are not named in it."
    button = "Record decision"
    success_message = "Appeal decided; the case is closed and the employee has been told."

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "appeal": getattr(self.case, "appeal", None),
            "outcome": getattr(self.case, "outcome", None),
        }

    def perform(self, data):
        services.appeal_decide(
            actor=self.request.user,
            case=self.case,
            decision=data["decision"],
            reasons=data["reasons"],
            varied_to=data["varied_to"],
        )


def _case_post(request, pk: int, perm: str, action, success: str):
    case = selectors.case_get_for_user(request.user, pk, perm)
    try:
        action(case)
    except ValidationError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, success)
    return redirect(case)


@require_POST
@permission_required("cases.list_cases")
def case_close(request, pk: int):
    return _case_post(
        request, pk, "cases.manage_case", lambda c: services.case_close(actor=request.user, case=c), "Case closed."
    )


@require_POST
@permission_required("cases.list_cases")
def case_suspension_lift(request, pk: int):
    return _case_post(
        request,
        pk,
        "cases.manage_case",
        lambda c: services.case_suspension_lift(actor=request.user, case=c),
        "Suspension lifted.",
    )


@require_POST
@permission_required("cases.list_cases")
def deadline_met(request, pk: int):
    deadline = CaseDeadline.objects.select_related("case").filter(pk=pk).first()
    if deadline is None or not request.user.has_perm("cases.investigate_case", deadline.case):
        raise Http404("No such deadline.")
    services.case_deadline_met(actor=request.user, deadline=deadline)
    messages.success(request, f"Deadline met: {deadline.title}.")
    return redirect(deadline.case)


# --- outcome letter, the subject's view, appeals --------------------------------------------------


class OutcomeLetterView(ObjectPermissionMixin, TemplateView):
    """The printable outcome letter, for the employee and for HR."""

    permission_required = "cases.view_outcome_letter"
    template_name = "cases/outcome_letter.html"

    def load_object(self):
        case = (
            Case.objects.select_related("subject__organisation", "outcome__decided_by", "organisation")
            .filter(pk=self.kwargs["pk"], outcome__isnull=False)
            .first()
        )
        if case is None or not self.request.user.has_perm(self.permission_required, case):
            raise Http404("No outcome letter.")
        return case

    def get_context_data(self, **kwargs):
        case = self.get_permission_object()
        audit_read(actor=self.request.user, obj=case, details={"view": "outcome letter"})
        return {
            **super().get_context_data(**kwargs),
            "case": case,
            "outcome": case.outcome,
            "appeal": getattr(case, "appeal", None),
            "employee": case.subject,
        }


class MyCaseView(ObjectPermissionMixin, FormView):
    """The subject's view: status, hearing, suspension, letter and appeal form; never the reporter or notes."""

    permission_required = "cases.view_own_case"
    template_name = "cases/my_case.html"
    form_class = AppealForm

    def load_object(self):
        return selectors.case_get_for_subject(self.request.user, self.kwargs["pk"])

    @property
    def case(self):
        return self.get_permission_object()

    def get(self, request, *args, **kwargs):
        audit_read(actor=request.user, obj=self.case, details={"view": "subject"})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        outcome = getattr(self.case, "outcome", None)
        appeal = getattr(self.case, "appeal", None)
        can_appeal = (
            outcome is not None
            and outcome.appealable
            and appeal is None
            and self.case.status == Case.Status.OUTCOME_RECORDED
        )
        return {
            **super().get_context_data(**kwargs),
            "case": self.case,
            "outcome": outcome,
            "appeal": appeal,
            "can_appeal": can_appeal,
            "letters": self.case.letters.all(),
            # A referral is not described here: the police or the LADO may need to act before the employee knows.
            "ending": self.case.get_closed_as_display()
            if self.case.closed_early and not self.case.closed_as.startswith("referred")
            else "",
        }

    def form_valid(self, form):
        try:
            services.appeal_lodge(actor=self.request.user, case=self.case, grounds=form.cleaned_data["grounds"])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # not about a field: the appeal window or a second submission
                message_service_error(self.request, exc, level=messages.WARNING)
                return redirect("cases:my_case", pk=self.case.pk)
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Your appeal has been lodged. Someone not involved in the case will hear it.")
        return redirect("cases:my_case", pk=self.case.pk)


# --- evidence ------------------------------------------------------------------------------------


@permission_required("cases.view_own_items")
def evidence_download(request, pk: int):
    evidence = selectors.evidence_get_for_user(request.user, pk)  # 404 first: refusals reveal nothing
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    services.evidence_record_download(actor=request.user, evidence=evidence)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@permission_required("cases.view_own_items")
def evidence_verify(request, pk: int):
    evidence = selectors.evidence_get_for_user(request.user, pk)
    if services.evidence_verify(actor=request.user, evidence=evidence):
        messages.success(request, f"“{evidence}” still matches the SHA-256 recorded at upload.")
    else:
        messages.error(
            request, f"“{evidence}” no longer matches the SHA-256 recorded at upload: chain of custody broken."
        )
    case = evidence.owning_case
    if case is not None:
        return redirect(case)
    return redirect(reverse("cases:report_detail", args=[evidence.report_id]))


# --- letters -------------------------------------------------------------------------------------


@permission_required("cases.view_own_items")
def letter_download(request, pk: int):
    """A stored letter, for the employee it is addressed to and for HR not named in the case."""
    letter = selectors.letter_get_for_user(request.user, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    audit_read(actor=request.user, obj=letter.case, details={"letter": letter.kind, "sha256": letter.sha256})
    response = FileResponse(
        letter.file.open("rb"), as_attachment=False, filename=letter.filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class LetterTemplateListView(PermissionRequiredMixin, TemplateView):
    permission_required = "cases.edit_letter_templates"
    template_name = "cases/letter_template_list.html"

    def get_context_data(self, **kwargs):
        edited = {t.kind: t for t in LetterTemplate.objects.select_related("updated_by")}
        rows = [(kind, edited.get(kind.value)) for kind in LetterKind]
        return {**super().get_context_data(**kwargs), "rows": rows}


class LetterTemplateEditView(PermissionRequiredMixin, FormView):
    """The Head of HR edits a letter's wording and previews it as the PDF it will be, with example values."""

    permission_required = "cases.edit_letter_templates"
    template_name = "cases/letter_template_form.html"
    form_class = LetterTemplateForm

    @property
    def kind(self) -> LetterKind:
        if self.kwargs["kind"] not in LetterKind.values:
            raise Http404("No such letter.")
        return LetterKind(self.kwargs["kind"])

    def get_initial(self):
        title, body = letters.wording(self.kind)
        return {"title": title, "body": body}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "kind": self.kind,
            "merge_fields": letters.MERGE_FIELDS.items(),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        if self.request.POST.get("preview") == "yes":
            try:
                letters.check_wording(data["body"])
            except ValidationError as exc:
                form.add_error("body", exc.messages[0])
                return self.form_invalid(form)
            organisation = self.request.user.organisation
            fields = letters.example_fields(organisation, self.request.user)
            html = letters.render_html(organisation, data["title"], data["body"], fields)
            response = HttpResponse(letters.render_pdf(html), content_type="application/pdf")
            response["Content-Disposition"] = 'inline; filename="preview.pdf"'
            return response
        try:
            services.letter_template_update(
                actor=self.request.user, kind=self.kind, title=data["title"], body=data["body"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Wording saved: {self.kind.label}. Letters made from now on use it.")
        return redirect("cases:letter_templates")
