"""Consent pages: the register, a person's consents, recording a paper consent, the one-time
link (issue, and the public page a guardian confirms on), withdrawal, the list of who lacks
which consent with bulk printing, and withdrawal in one's own cabinet."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from nastavnik.consents import documents
from nastavnik.consents.access import (
    consent_for,
    consents_of,
    own_consent_for,
    people_missing_consents,
)
from nastavnik.consents.forms import (
    LinkConfirmForm,
    LinkIssueForm,
    MissingFilterForm,
    OwnWithdrawForm,
    PaperConsentForm,
    RegisterFilterForm,
    WithdrawForm,
)
from nastavnik.consents.models import Depersonalisation, LinkState, Purpose, Status
from nastavnik.consents.rules import (
    consent_state,
    consent_status,
    counting_q,
    signing_for,
    valid_exists,
)
from nastavnik.consents.services import (
    Evidence,
    LinkNotUsable,
    consent_confirm_by_link,
    consent_link_by_token,
    consent_link_issue,
    consent_record,
    consent_withdraw,
    default_valid_until,
    link_ttl,
)
from nastavnik.core.access import OrgContext, OrgRequest, org_view, public_view
from nastavnik.core.client import client_ip
from nastavnik.core.outcomes import submit
from nastavnik.core.text import fold
from nastavnik.core.uploads import content_type_of
from nastavnik.documents.russian import Case, decline_full_name
from nastavnik.orgs.policy import Perm
from nastavnik.people.access import guardian_link_for, person_for
from nastavnik.people.models import GuardianLink, Person

PAGE_SIZE = 50
MISSING_PAGE_SIZE = 100
# One bulk print at most: a class or two of forms, a file Word still opens quickly.
MAX_BULK_DOCUMENTS = 300


def _docx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=documents.DOCX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{name.encode("ascii", "ignore").decode() or "consent.docx"}"; '
        f"filename*=UTF-8''{quote(name)}"
    )
    return response


def _genitive(person: Person) -> str:
    return decline_full_name(
        person.last_name, person.first_name, person.middle_name, person.gender, Case.GENITIVE
    )


# --- The register ----------------------------------------------------------------------------


@org_view(Perm.CONSENTS_VIEW)
def register(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    today = timezone.localdate()
    form = RegisterFilterForm(request.GET or None)
    consents = (
        consents_of(ctx)
        .select_related("subject", "given_by")
        .annotate(processing_valid=valid_exists(Purpose.PROCESSING, today, ref="subject"))
    )
    if form.is_valid():
        data = form.cleaned_data
        for word in fold(data["q"]).split():
            consents = consents.filter(subject__name_key__contains=word)
        if data["purpose"]:
            consents = consents.filter(purpose=data["purpose"])
        if data["method"]:
            consents = consents.filter(method=data["method"])
        if data["status"] == Status.VALID:
            # Valid and counting: a participation consent of someone whose processing
            # consent is gone is not "valid" in the register either (consent_state).
            consents = consents.valid_on(today).filter(counting_q(today))
        elif data["status"] == Status.EXPIRED:
            consents = consents.filter(withdrawn_at__isnull=True, valid_until__lt=today)
        elif data["status"] == Status.WITHDRAWN:
            consents = consents.filter(withdrawn_at__isnull=False)
    page = Paginator(consents.order_by("-recorded_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "consents/register.html",
        {
            "form": form,
            "page": page,
            "rows": [(c, consent_state(c, today, c.processing_valid)) for c in page.object_list],
            "can_manage": ctx.can(Perm.CONSENTS_MANAGE),
        },
    )


# --- Who lacks which consent -----------------------------------------------------------------


def _missing_of(person: Person, purposes: list[Purpose]) -> list[Purpose]:
    return [p for p in purposes if not getattr(person, f"has_{p.value}")]


def _missing_filter(request: HttpRequest, source: Any) -> dict[str, Any]:
    form = MissingFilterForm(source)
    return form.cleaned_data if form.is_valid() else {}


@org_view(Perm.CONSENTS_VIEW)
def missing(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    today = timezone.localdate()
    form = MissingFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    people, purposes = people_missing_consents(ctx, data)
    page = Paginator(people, MISSING_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "person": person,
            "missing": _missing_of(person, purposes),
            "signing": signing_for(person, today),
            "guardians": list(person.guardian_links.all()),
        }
        for person in page.object_list
    ]
    return render(
        request,
        "consents/missing.html",
        {"form": form, "page": page, "rows": rows, "max_bulk": MAX_BULK_DOCUMENTS},
    )


@org_view(Perm.CONSENTS_VIEW)
@require_POST
def missing_print(request: OrgRequest) -> HttpResponse:
    """One DOCX with a page for every missing consent of the chosen people (or all listed)."""
    ctx = request.org
    today = timezone.localdate()
    data = _missing_filter(request, request.POST)
    people, purposes = people_missing_consents(ctx, data)
    if "all" not in request.POST:
        chosen = [int(pk) for pk in request.POST.getlist("person") if pk.isdigit()]
        if not chosen:
            messages.error(request, _("Choose the people whose forms to print."))
            return redirect(_missing_url(ctx, request.POST))
        people = people.filter(pk__in=chosen)
    requests = [
        documents.FormRequest(
            subject=person,
            purpose=purpose,
            representative=next(iter(person.guardian_links.all()), None),
        )
        for person in people
        for purpose in _missing_of(person, purposes)
    ]
    if not requests:
        messages.info(request, _("Nobody in the list lacks a consent: nothing to print."))
        return redirect(_missing_url(ctx, request.POST))
    if len(requests) > MAX_BULK_DOCUMENTS:
        messages.error(
            request,
            _(
                "That would be %(count)s forms; print at most %(max)s at once — choose a "
                "class or fewer people."
            )
            % {"count": len(requests), "max": MAX_BULK_DOCUMENTS},
        )
        return redirect(_missing_url(ctx, request.POST))
    content = documents.render_items(
        ctx.organisation, (documents.form_item(r, today) for r in requests)
    )
    return _docx(content, f"Согласия_{today:%Y-%m-%d}.docx")


def _missing_url(ctx: OrgContext, source: Any) -> str:
    query = QueryDict(mutable=True)
    for key in ("kind", "grade", "class_letter", "purpose"):
        if source.get(key):
            query[key] = source[key]
    url = reverse("consents:missing", kwargs={"org_slug": ctx.organisation.slug})
    return f"{url}?{query.urlencode()}" if query else url


# --- A person's consents ---------------------------------------------------------------------


def _not_depersonalised(person: Person) -> None:
    if Depersonalisation.objects.filter(person=person).exists():
        raise Http404


@org_view(Perm.CONSENTS_VIEW)
def person_consents(request: OrgRequest, person_pk: int) -> HttpResponse:
    ctx = request.org
    person = person_for(ctx, person_pk)
    today = timezone.localdate()
    consents = list(
        person.consents.select_related("given_by", "recorded_by", "withdrawn_by").order_by(
            "-given_on", "-pk"
        )
    )
    status = consent_status(person, today, consents)
    return render(
        request,
        "consents/person.html",
        {
            "person": person,
            "status": status,
            "history": [
                (c, consent_state(c, today, status.states[Purpose.PROCESSING].usable))
                for c in consents
            ],
            "links": person.consent_links.select_related("addressee").order_by("-created_at")[:10],
            "signing": signing_for(person, today),
            "guardian_links": person.guardian_links.select_related("guardian").order_by(
                "relation", "pk"
            ),
            "depersonalised": Depersonalisation.objects.filter(person=person).first(),
            "can_manage": ctx.can(Perm.CONSENTS_MANAGE),
            "can_audit": ctx.can(Perm.AUDIT_VIEW),
            "purposes": list(Purpose),
        },
    )


@org_view(Perm.CONSENTS_VIEW)
def person_form(request: OrgRequest, person_pk: int) -> HttpResponse:
    """The pre-filled form for one purpose, to print and sign."""
    ctx = request.org
    person = person_for(ctx, person_pk)
    _not_depersonalised(person)
    purpose = request.GET.get("purpose", "")
    if purpose not in Purpose.values:
        raise Http404
    link = None
    guardian = request.GET.get("guardian", "")
    if guardian.isdigit():
        link = guardian_link_for(ctx, person, int(guardian))
    elif signing_for(person, timezone.localdate()).minor:
        link = person.guardian_links.select_related("guardian").order_by("relation", "pk").first()
    item = documents.form_item(
        documents.FormRequest(subject=person, purpose=Purpose(purpose), representative=link),
        timezone.localdate(),
    )
    content = documents.render_items(ctx.organisation, [item])
    return _docx(content, f"Согласие_{person.last_name}_{purpose}.docx")


@org_view(Perm.CONSENTS_MANAGE)
def record(request: OrgRequest, person_pk: int) -> HttpResponse:
    ctx = request.org
    person = person_for(ctx, person_pk)
    _not_depersonalised(person)
    today = timezone.localdate()
    signing = signing_for(person, today)
    purpose = request.GET.get("purpose")
    form = PaperConsentForm(
        request.POST or None,
        request.FILES or None,
        subject=person,
        signing=signing,
        initial={
            "given_on": today,
            "valid_until": default_valid_until(person, today),
            "purpose": purpose if purpose in Purpose.values else Purpose.PROCESSING,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = consent_record(
                person,
                data["purpose"],
                form.signer(),
                given_on=data["given_on"],
                valid_until=data["valid_until"],
                scan=data["scan"],
                by=request.user,
                authority_document=data.get("authority_document", ""),
                minor_signed=data.get("minor_signed", False),
            )
        except ValidationError as error:
            form.add_rule_errors(error)
        except Person.DoesNotExist:
            form.add_error("given_by", _("Choose a person from the list."))
        else:
            messages.success(
                request,
                _("The consent “%(purpose)s” of %(name)s is recorded.")
                % {"purpose": consent.get_purpose_display(), "name": person.full_name},
            )
            return redirect("consents:person", org_slug=ctx.organisation.slug, person_pk=person.pk)
    return render(
        request,
        "consents/record.html",
        {"person": person, "form": form, "signing": signing},
    )


@org_view(Perm.CONSENTS_MANAGE)
def link_issue(request: OrgRequest, person_pk: int) -> HttpResponse:
    ctx = request.org
    person = person_for(ctx, person_pk)
    _not_depersonalised(person)
    today = timezone.localdate()
    signing = signing_for(person, today)
    status = consent_status(person, today)
    form = LinkIssueForm(
        request.POST or None,
        subject=person,
        signing=signing,
        missing=[p for p in Purpose if status.states[p].status != Status.VALID],
        initial={"valid_until": default_valid_until(person, today)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = consent_link_issue(
                person,
                form.addressee_person(),
                data["purposes"],
                by=request.user,
                valid_until=data["valid_until"],
                authority_document=data.get("authority_document", ""),
                send=data["send"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_rule_errors(error)
        except Person.DoesNotExist:
            form.add_error("addressee", _("Choose a person from the list."))
        else:
            return render(
                request,
                "consents/link_issued.html",
                {"person": person, "link": issued.link, "url": issued.url},
            )
    return render(
        request,
        "consents/link_issue.html",
        {
            "person": person,
            "form": form,
            "signing": signing,
            "link_ttl_days": link_ttl().days,
        },
    )


# --- One consent -----------------------------------------------------------------------------


@org_view(Perm.CONSENTS_VIEW)
def consent_detail(request: OrgRequest, consent_pk: int) -> HttpResponse:
    ctx = request.org
    consent = consent_for(ctx, consent_pk)
    return render(
        request,
        "consents/detail.html",
        {
            "consent": consent,
            "status": consent.status_on(timezone.localdate()),
            "can_manage": ctx.can(Perm.CONSENTS_MANAGE),
        },
    )


@org_view(Perm.CONSENTS_VIEW)
def consent_scan(request: OrgRequest, consent_pk: int) -> HttpResponse:
    consent = consent_for(request.org, consent_pk)
    if not consent.scan:
        raise Http404
    # A FieldFile is true only with a name.
    assert consent.scan.name is not None
    with consent.scan.open("rb") as scan:
        content = scan.read()
    response = HttpResponse(content, content_type=content_type_of(consent.scan.name))
    suffix = consent.scan.name.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f'attachment; filename="consent-{consent.pk}.{suffix}"'
    return response


@org_view(Perm.CONSENTS_VIEW)
def consent_document(request: OrgRequest, consent_pk: int) -> HttpResponse:
    """A copy of the consent as it was given, from the texts recorded with it."""
    ctx = request.org
    consent = consent_for(ctx, consent_pk)
    _not_depersonalised(consent.subject)
    content = documents.render_items(ctx.organisation, [documents.record_item(consent)])
    return _docx(content, f"Согласие_{consent.subject.last_name}_{consent.pk}.docx")


@org_view(Perm.CONSENTS_MANAGE)
def withdraw(request: OrgRequest, consent_pk: int) -> HttpResponse:
    ctx = request.org
    consent = consent_for(ctx, consent_pk)
    form = WithdrawForm(request.POST or None)
    return submit(
        request,
        form,
        lambda: consent_withdraw(consent, form.cleaned_data["reason"], by=request.user),
        success=_withdrawn_message(consent),
        redirect_to=redirect(
            "consents:person", org_slug=ctx.organisation.slug, person_pk=consent.subject_id
        ),
        template="consents/withdraw.html",
        context={"consent": consent},
    )


def _withdrawn_message(consent: Any) -> str:
    return _("The consent “%(purpose)s” of %(name)s is withdrawn. It stopped counting at once.") % {
        "purpose": consent.get_purpose_display(),
        "name": consent.subject.full_name,
    }


@org_view(Perm.CONSENTS_OWN)
def withdraw_own(request: OrgRequest, consent_pk: int) -> HttpResponse:
    """A guardian (or an adult) withdraws a consent in their own cabinet."""
    ctx = request.org
    consent = own_consent_for(ctx, request.user, consent_pk)
    form = OwnWithdrawForm(request.POST or None)
    return submit(
        request,
        form,
        lambda: consent_withdraw(
            consent,
            form.cleaned_data["reason"],
            by=request.user,
            require_reason=False,
        ),
        success=_withdrawn_message(consent),
        redirect_to=redirect("orgs:dashboard", org_slug=ctx.organisation.slug),
        template="consents/withdraw.html",
        context={"consent": consent, "own": True},
    )


# --- The public one-time link ----------------------------------------------------------------


def _link_not_usable(request: HttpRequest, state: LinkState | None, link: Any) -> HttpResponse:
    return render(
        request,
        "consents/link_not_usable.html",
        {"state": state.value if state else "not_found", "link": link},
        status=404 if state is None else 410,
    )


def _link_documents(link: Any, today: Any) -> list[dict[str, Any]]:
    guardian_link = (
        GuardianLink.objects.filter(guardian=link.addressee, child=link.subject).first()
        if link.addressee_id != link.subject_id
        else None
    )
    items = []
    for purpose in link.purposes:
        item = documents.form_item(
            documents.FormRequest(
                subject=link.subject,
                purpose=Purpose(purpose),
                representative=guardian_link,
                valid_until=link.valid_until,
            ),
            today,
        )
        item["code"] = purpose
        item["label"] = Purpose(purpose).label
        item["subject_genitive"] = _genitive(link.subject)
        items.append(item)
    return items


@public_view
@never_cache
def link_confirm(request: HttpRequest, token: str) -> HttpResponse:
    link = consent_link_by_token(token)
    if link is None:
        return _link_not_usable(request, None, None)
    if link.state != LinkState.USABLE:
        return _link_not_usable(request, link.state, link)
    timezone.activate(link.organisation.timezone)
    today = timezone.localdate()
    signing = signing_for(link.subject, today)
    form = LinkConfirmForm(request.POST or None, link=link, signing=signing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consents = consent_confirm_by_link(
                token,
                data["purposes"],
                agreed=data["agreed"],
                signed_name=data["signed_name"],
                minor_signed_name=data.get("minor_signed_name", ""),
                authority_document=data.get("authority_document", ""),
                evidence=Evidence(
                    ip=client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                ),
            )
        except LinkNotUsable as error:
            return _link_not_usable(request, error.state, link)
        except ValidationError as error:
            form.add_rule_errors(error)
        else:
            return render(
                request,
                "consents/link_done.html",
                {"link": link, "organisation": link.organisation, "consents": consents},
            )
    response = render(
        request,
        "consents/link_confirm.html",
        {
            "link": link,
            "organisation": link.organisation,
            "form": form,
            "signing": signing,
            "documents": _link_documents(link, today),
            "subject_genitive": _genitive(link.subject),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
