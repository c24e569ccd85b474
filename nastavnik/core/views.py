from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from nastavnik.core.access import AccountRequest, account_view, public_view
from nastavnik.orgs.models import Organisation, RegionalOperator


@account_view
def home(request: AccountRequest) -> HttpResponse:
    """Sends an account to its organisation, or lets it choose when it has several."""
    organisations = list(
        Organisation.objects.filter(memberships__user=request.user).distinct().order_by("name")
    )
    is_operator = RegionalOperator.objects.filter(user=request.user).exists()
    if len(organisations) == 1 and not is_operator:
        return redirect("orgs:dashboard", org_slug=organisations[0].slug)
    if not organisations and is_operator:
        return redirect("region:dashboard")
    return render(
        request, "core/home.html", {"organisations": organisations, "is_operator": is_operator}
    )


@public_view
def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer and monitoring: 200 when the database answers, 503 while it does
    not. No login, no session, no personal data, one trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        # A broken connection is dropped now, so the next check connects afresh.
        connection.close_if_unusable_or_obsolete()
        response = JsonResponse({"status": "database unavailable"}, status=503)
    else:
        response = JsonResponse({"status": "ok"})
    response["Cache-Control"] = "no-store"
    return response
