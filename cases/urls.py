from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("report/", views.ReportCreateView.as_view(), name="report_create"),
    path("mine/", views.MineView.as_view(), name="mine"),
    path("mine/reports/<int:pk>/", views.ReportStatusView.as_view(), name="report_status"),
    path("mine/cases/<int:pk>/", views.MyCaseView.as_view(), name="my_case"),
    path("receipt/", views.ReceiptView.as_view(), name="receipt"),
    path("triage/", views.TriageListView.as_view(), name="triage"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("<int:pk>/assign/", views.CaseAssignView.as_view(), name="case_assign"),
    path("<int:pk>/note/", views.CaseNoteView.as_view(), name="case_note"),
    path("<int:pk>/interview/", views.CaseInterviewView.as_view(), name="case_interview"),
    path("<int:pk>/evidence/", views.CaseEvidenceView.as_view(), name="case_evidence"),
    path("<int:pk>/finding/", views.CaseFindingView.as_view(), name="case_finding"),
    path("<int:pk>/deadline/", views.CaseDeadlineView.as_view(), name="case_deadline"),
    path("<int:pk>/suspension/", views.CaseSuspendView.as_view(), name="case_suspend"),
    path("<int:pk>/suspension/lift/", views.case_suspension_lift, name="case_suspension_lift"),
    path("<int:pk>/hearing/", views.CaseHearingView.as_view(), name="case_hearing"),
    path("<int:pk>/hearing/held/", views.CaseHearingHeldView.as_view(), name="case_hearing_held"),
    path("<int:pk>/end/", views.CaseEndView.as_view(), name="case_end"),
    path("<int:pk>/reopen/", views.CaseReopenView.as_view(), name="case_reopen"),
    path("<int:pk>/outcome/", views.CaseOutcomeView.as_view(), name="case_outcome"),
    path("<int:pk>/letter/", views.OutcomeLetterView.as_view(), name="outcome_letter"),
    path("<int:pk>/appeal/", views.AppealDecideView.as_view(), name="appeal_decide"),
    path("<int:pk>/close/", views.case_close, name="case_close"),
    path("letters/<int:pk>/", views.letter_download, name="letter_download"),
    path("letter-templates/", views.LetterTemplateListView.as_view(), name="letter_templates"),
    path("letter-templates/<slug:kind>/", views.LetterTemplateEditView.as_view(), name="letter_template_edit"),
    path("deadlines/<int:pk>/met/", views.deadline_met, name="deadline_met"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/verify/", views.evidence_verify, name="evidence_verify"),
]
