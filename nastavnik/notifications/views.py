"""The notification centre of one account in one organisation: the list, marking read, the
preferences; and the unsubscribe page a letter links to (no login: the signed link says whose
and which kind)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nastavnik.core.access import OrgRequest, org_view, public_view
from nastavnik.notifications.delivery import channel_of, read_unsubscribe_token
from nastavnik.notifications.models import (
    Channel,
    Notification,
    NotificationPreference,
    NotificationQuerySet,
)
from nastavnik.notifications.registry import KINDS
from nastavnik.orgs.models import Membership
from nastavnik.orgs.policy import Perm

PAGE_SIZE = 30


def _mine(request: OrgRequest) -> NotificationQuerySet:
    return Notification.objects.for_user(request.org.organisation, request.user)


def _list_url(request: OrgRequest) -> str:
    return reverse("notifications:list", kwargs={"org_slug": request.org.organisation.slug})


@require_GET
@org_view(Perm.DASHBOARD)
def notification_list(request: OrgRequest) -> HttpResponse:
    rows = _mine(request)
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", "")
    if kind in KINDS:
        rows = rows.filter(kind=kind)
    else:
        kind = ""
    if state == "unread":
        rows = rows.filter(read_at__isnull=True)
    elif state == "read":
        rows = rows.filter(read_at__isnull=False)
    else:
        state = ""
    page = Paginator(
        rows.only(
            "pk", "kind", "title", "body", "title_en", "body_en", "url", "created_at", "read_at"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "kinds": [(k.event, k.label) for k in KINDS.values()],
            "kind": kind,
            "state": state,
        },
    )


@require_POST
@org_view(Perm.DASHBOARD)
def notification_open(request: OrgRequest, notification_pk: int) -> HttpResponse:
    """Mark one read and go where it points (or back to the list)."""
    row = get_object_or_404(_mine(request), pk=notification_pk)
    if row.read_at is None:
        row.read_at = timezone.now()
        row.save(update_fields=["read_at"])
    target = row.url if request.POST.get("go") and row.url else _list_url(request)
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = _list_url(request)
    return HttpResponseRedirect(target)


@require_POST
@org_view(Perm.DASHBOARD)
def notification_read_all(request: OrgRequest) -> HttpResponse:
    count = _mine(request).unread().update(read_at=timezone.now())
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect(_list_url(request))


@require_http_methods(["GET", "POST"])
@org_view(Perm.DASHBOARD)
def preferences(request: OrgRequest) -> HttpResponse:
    organisation = request.org.organisation
    chosen = dict(
        NotificationPreference.objects.filter(
            organisation=organisation, user=request.user
        ).values_list("kind", "channel")
    )
    rows = [
        {"kind": kind, "channel": channel_of(kind, chosen.get(kind.event))}
        for kind in KINDS.values()
    ]
    errors: list[str] = []
    if request.method == "POST":
        wanted: dict[str, str] = {}
        for kind in KINDS.values():
            value = request.POST.get(kind.event, "")
            if value not in dict(kind.channels):
                errors.append(kind.event)
            else:
                wanted[kind.event] = value
        if not errors:
            for event, channel in wanted.items():
                NotificationPreference.objects.update_or_create(
                    organisation=organisation,
                    user=request.user,
                    kind=event,
                    defaults={"channel": channel},
                )
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences", org_slug=organisation.slug)
        messages.error(request, _("Choose how to be told for every kind."))
    return render(request, "notifications/preferences.html", {"rows": rows, "errors": errors})


@public_view
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (mail scanners follow links), POST switches the kind to the system only."""
    data = read_unsubscribe_token(token)
    membership = None
    if data is not None:
        membership = (
            Membership.objects.filter(organisation_id=data["o"], user_id=data["u"])
            .select_related("organisation")
            .first()
        )
    if data is None or membership is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    kind = KINDS[data["k"]]
    done = False
    if request.method == "POST":
        NotificationPreference.objects.update_or_create(
            organisation_id=data["o"],
            user_id=data["u"],
            kind=kind.event,
            defaults={"channel": Channel.IN_APP},
        )
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"kind": kind, "done": done, "organisation": membership.organisation},
    )
