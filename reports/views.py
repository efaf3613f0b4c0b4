"""HR reports with charts and downloads, and the HR search page."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from audit.models import AuditEvent
from audit.services import audit_record
from core.permissions import PermissionRequiredMixin, permission_required
from core.ui import paginate
from reports import exports
from reports.forms import ReportFilterForm, SearchForm
from reports.registry import HRReport, get_report, reports_for
from reports.selectors import search_cases, search_employees, search_incident_reports


class ReportIndexView(PermissionRequiredMixin, TemplateView):
    permission_required = "reports.view_reports"
    template_name = "reports/report_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups: dict[str, list[HRReport]] = {}
        for report in reports_for(self.request.user):
            groups.setdefault(report.group or "Other", []).append(report)
        context["groups"] = groups
        return context


def _report_or_404(user, slug: str) -> HRReport:
    report = get_report(slug)
    if report is None or not user.has_perm(report.permission):
        raise Http404("No such report.")
    return report


class ReportDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "reports.view_reports"
    template_name = "reports/report_detail.html"

    def get(self, request, *args, **kwargs):
        report = _report_or_404(request.user, kwargs["slug"])
        form = ReportFilterForm(request.GET or None)
        bound = form.is_bound
        if not bound:
            form = ReportFilterForm({})
        table = filters = None
        if form.is_valid():
            filters = form.filters()
            table = report.build(filters)
        context = self.get_context_data(
            report=report,
            filter_form=form if bound else ReportFilterForm(),
            filters=filters,
            table=table,
            reports=reports_for(request.user),
            query=request.GET.urlencode(),
        )
        return self.render_to_response(context, status=200 if table is not None else 400)


@permission_required("reports.view_reports")
@require_GET
def report_download(request, slug: str, fmt: str):
    report = _report_or_404(request.user, slug)
    form = ReportFilterForm(request.GET or {})
    if not form.is_valid():
        return HttpResponseBadRequest(
            "These filters are not valid: "
            + "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()),
            content_type="text/plain",
        )
    filters = form.filters()
    table = report.build(filters)
    name = f"{report.slug}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}"
    if fmt == "csv":
        response = HttpResponse(exports.table_csv(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = HttpResponse(
            exports.table_xlsx(report, table, filters),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    audit_record(
        actor=request.user,
        action="report.downloaded",
        kind=AuditEvent.Kind.READ,
        organisation_id=filters.school_id,
        object_type="reports.hrreport",
        object_id=report.slug,
        object_repr=report.title,
        details={"format": fmt, "start": filters.start, "end": filters.end, "school": filters.school_id},
    )
    return response


class SearchView(PermissionRequiredMixin, TemplateView):
    """One box for HR: employees by name, user name or staff number; reports and cases by reference or text.
    What someone searched for can itself be sensitive (a colleague's name), so every search is audited and
    the results page is never cached."""

    permission_required = "reports.search"
    template_name = "reports/search.html"
    preview = 5

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET) if request.GET else SearchForm()
        context = {"form": form, "sections": []}
        status = 200
        if form.is_bound:
            if form.is_valid():
                context.update(self._search(form.cleaned_data["q"], form.cleaned_data["scope"]))
            else:
                status = 400
        response = self.render_to_response(self.get_context_data(**context), status=status)
        add_never_cache_headers(response)
        return response

    def _search(self, text: str, scope: str) -> dict:
        user = self.request.user
        finders = {
            "employees": ("Employees", search_employees, "reports/includes/search_employees.html"),
            "reports": ("Incident reports", search_incident_reports, "reports/includes/search_reports.html"),
            "cases": ("Cases", search_cases, "reports/includes/search_cases.html"),
        }
        sections, counts = [], {}
        for key, (title, finder, template) in finders.items():
            if scope not in ("all", key):
                continue
            qs = finder(user, text)
            if scope == "all":
                total = qs.count()
                items = list(qs[: self.preview])
                page_obj = None
            else:
                page_obj = paginate(self.request, qs, 20)
                total, items = page_obj.paginator.count, list(page_obj.object_list)
            counts[key] = total
            sections.append(
                {
                    "key": key,
                    "title": title,
                    "total": total,
                    "items": items,
                    "template": template,
                    "page_obj": page_obj,
                    "more": scope == "all" and total > len(items),
                }
            )
        audit_record(
            actor=user,
            action="search.performed",
            kind=AuditEvent.Kind.READ,
            object_type="reports.search",
            object_repr="HR search",
            details={"query": text, "scope": scope, "results": counts, "page": self.request.GET.get("page", "1")[:6]},
        )
        return {"sections": sections, "text": text, "scope": scope}
