"""The compliance page: every rule the data break now, with the rows and where to fix them."""

from __future__ import annotations

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from nastavnik.compliance.exports import compliance_xlsx
from nastavnik.compliance.registry import broken_count
from nastavnik.compliance.report import compliance_report
from nastavnik.core.access import OrgRequest, org_view
from nastavnik.core.outcomes import download
from nastavnik.documents.spreadsheet import XLSX_CONTENT_TYPE
from nastavnik.orgs.policy import Perm


@org_view(Perm.COMPLIANCE_VIEW)
def index(request: OrgRequest) -> HttpResponse:
    organisation = request.org.organisation
    scope, results = compliance_report(organisation, timezone.localdate())
    return render(
        request,
        "compliance/index.html",
        {
            "scope": scope,
            "broken": [r for r in results if r.broken],
            "kept": [r for r in results if not r.broken],
            "total": broken_count(results),
        },
    )


@org_view(Perm.COMPLIANCE_VIEW)
def export(request: OrgRequest) -> HttpResponseBase:
    organisation = request.org.organisation
    today = timezone.localdate()
    _scope, results = compliance_report(organisation, today)
    content = compliance_xlsx(results, request.build_absolute_uri)
    return download(content, f"Соответствие положению {today:%d.%m.%Y}.xlsx", XLSX_CONTENT_TYPE)
