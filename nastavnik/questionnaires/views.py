"""The organisation's pages: questionnaire templates and their editing, campaigns with their
progress, slips, reminders, answers typed in from paper, results and exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from nastavnik.consents.rules import hidden_q
from nastavnik.core.access import OrgContext, OrgRequest, org_view
from nastavnik.core.outcomes import attempt as _attempt
from nastavnik.core.outcomes import download, perform, submit
from nastavnik.core.outcomes import refuse as _refuse
from nastavnik.documents.render import PdfConversionError, docx_to_pdf
from nastavnik.documents.spreadsheet import XLSX_CONTENT_TYPE
from nastavnik.orgs.policy import Perm
from nastavnik.people.models import Person
from nastavnik.programmes.access import current_programme
from nastavnik.questionnaires import anonymity, services
from nastavnik.questionnaires import campaigns as campaign_services
from nastavnik.questionnaires.access import (
    campaign_for,
    campaigns_of,
    invitation_for,
    question_for,
    questionnaire_for,
    questionnaires_of,
    response_for,
    section_for,
)
from nastavnik.questionnaires.documents import (
    DOCX_CONTENT_TYPE,
    questionnaire_docx,
    slips_docx,
)
from nastavnik.questionnaires.exports import answers_xlsx
from nastavnik.questionnaires.feeds import FEEDS, feed_for
from nastavnik.questionnaires.forms import (
    CampaignForm,
    QuestionForm,
    QuestionnaireForm,
    SectionForm,
)
from nastavnik.questionnaires.models import (
    Campaign,
    Channel,
    Question,
    Questionnaire,
    Response,
    Section,
)
from nastavnik.questionnaires.responses import (
    InvitationNotUsable,
    check_usable,
    pools_of,
    questions_of,
    raw_from_post,
    response_enter_anonymous,
    response_submit,
    typed,
)
from nastavnik.questionnaires.results import campaign_results as results_of
from nastavnik.questionnaires.sheet import answer_sheet, error_messages, not_usable_message

ONLINE_SHORT = gettext_lazy(
    "The campaign is anonymous. Only %(online)s of its answers were given online; beside "
    "paper forms that the staff typed in and read, so few could be told apart. The answers "
    "are shown once none or at least %(minimum)s were given online: %(needed)s more needed."
)
PDF_UNAVAILABLE = gettext_lazy(
    "The PDF cannot be made on this server now; download the DOCX and print it."
)
NEW_VERSION = gettext_lazy(
    "Campaigns have used version %(old)s, so it stays as it was: the change is saved as "
    "version %(new)s."
)


def _file_stem(title: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in " -_.,«»()" else "-" for ch in title)
    return " ".join(cleaned.split())[:120] or "анкета"


def _to_questionnaire(
    request: OrgRequest, questionnaire: Questionnaire, anchor: str = ""
) -> HttpResponse:
    url = reverse(
        "questionnaires:detail",
        kwargs={"org_slug": request.org.organisation.slug, "questionnaire_pk": questionnaire.pk},
    )
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _to_written(
    request: OrgRequest, old: Questionnaire, kind: str
) -> Callable[[tuple[Any, services.Writable]], HttpResponse]:
    """Where an edit of a section or a question lands: the row it wrote, in the version it
    wrote it to (a questionnaire already answered is edited in a new version). It says which
    (`_saved`) itself: a new version is a warning, not a success."""

    def to(made: tuple[Any, services.Writable]) -> HttpResponse:
        row, writable = made
        _saved(request, writable, old)
        return _to_questionnaire(request, writable.questionnaire, f"{kind}-{row.pk}")

    return to


def _saved(request: HttpRequest, writable: services.Writable, old: Questionnaire) -> None:
    if writable.new_version:
        messages.warning(
            request,
            NEW_VERSION % {"old": old.version, "new": writable.questionnaire.version},
        )
    else:
        messages.success(request, _("Changes are saved."))


# --- Questionnaires ---------------------------------------------------------------------------


@org_view(Perm.QUESTIONNAIRES_VIEW)
def questionnaire_list(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    rows = list(
        questionnaires_of(ctx)
        .latest()
        .annotate(
            questions_count=Count("questions", distinct=True),
            campaigns_count=Count("campaigns", distinct=True),
        )
        .order_by("title", "pk")
    )
    return render(
        request,
        "questionnaires/list.html",
        {
            "own": [q for q in rows if q.organisation_id is not None],
            "builtin": [q for q in rows if q.organisation_id is None],
            "can_edit": ctx.can(Perm.QUESTIONNAIRES_EDIT),
            "can_send": ctx.can(Perm.CAMPAIGNS_MANAGE),
        },
    )


@org_view(Perm.QUESTIONNAIRES_EDIT)
def questionnaire_create(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    form = QuestionnaireForm(request.POST or None)
    return submit(
        request,
        form,
        lambda: services.questionnaire_create(ctx.organisation, form.cleaned_data, by=request.user),
        success=_("The questionnaire is created: add its questions."),
        redirect_to=lambda made: _to_questionnaire(request, made),
        template="questionnaires/form_page.html",
        context={
            "title": _("New questionnaire"),
            "back": reverse("questionnaires:list", kwargs={"org_slug": ctx.organisation.slug}),
        },
    )


@dataclass
class QuestionRow:
    question: Question
    number: int
    feed_label: str = ""
    condition: str = ""


@dataclass
class SectionRow:
    section: Any
    questions: list[QuestionRow] = field(default_factory=list)


def _feed_label(key: str) -> str:
    if not key:
        return ""
    try:
        feed, argument = feed_for(key)
    except LookupError:
        return key
    return f"{feed.label}: {argument}" if argument else str(feed.label)


def _outline(questionnaire: Questionnaire) -> list[SectionRow]:
    sections = list(questionnaire.sections.all())
    questions = sorted(
        questionnaire.questions.all(),
        key=lambda q: (
            next(s.position for s in sections if s.pk == q.section_id),
            q.position,
            q.pk,
        ),
    )
    numbers = {q.code: n for n, q in enumerate(questions, start=1)}
    by_code = {q.code: q for q in questions}
    rows = {s.pk: SectionRow(s) for s in sections}
    for question in questions:
        condition = ""
        source = by_code.get(question.show_if_code)
        if source is not None:
            condition = _("After question %(number)s: %(answers)s") % {
                "number": numbers[source.code],
                "answers": ", ".join(
                    f"«{source.shown_choice_label(v)}»" for v in question.show_if_values
                ),
            }
        rows[question.section_id].questions.append(
            QuestionRow(question, numbers[question.code], _feed_label(question.feed), condition)
        )
    return [rows[s.pk] for s in sections]


@org_view(Perm.QUESTIONNAIRES_VIEW)
def questionnaire_detail(request: OrgRequest, questionnaire_pk: int) -> HttpResponse:
    ctx = request.org
    questionnaire = questionnaire_for(ctx, questionnaire_pk)
    newer = Questionnaire.objects.filter(previous=questionnaire).first()
    used = services.is_used(questionnaire)
    own = questionnaire.organisation_id == ctx.organisation.pk
    return render(
        request,
        "questionnaires/detail.html",
        {
            "questionnaire": questionnaire,
            "outline": _outline(questionnaire),
            "newer": newer,
            "used": used,
            "campaigns": campaigns_of(ctx)
            .filter(questionnaire=questionnaire)
            .order_by("-created_at")[:20],
            "can_edit": ctx.can(Perm.QUESTIONNAIRES_EDIT) and own and newer is None,
            "can_copy": ctx.can(Perm.QUESTIONNAIRES_EDIT),
            "can_send": ctx.can(Perm.CAMPAIGNS_MANAGE) and newer is None,
            "can_delete": ctx.can(Perm.QUESTIONNAIRES_EDIT) and own and newer is None and not used,
        },
    )


def _editable_or_back(request: OrgRequest, questionnaire: Questionnaire) -> HttpResponse | None:
    if questionnaire.organisation_id is None:
        messages.error(request, services.MESSAGES["builtin"])
        return _to_questionnaire(request, questionnaire)
    return None


@org_view(Perm.QUESTIONNAIRES_EDIT)
def questionnaire_edit(request: OrgRequest, questionnaire_pk: int) -> HttpResponse:
    questionnaire = questionnaire_for(request.org, questionnaire_pk)
    if (back := _editable_or_back(request, questionnaire)) is not None:
        return back
    form = QuestionnaireForm(
        request.POST or None,
        initial={
            "title": questionnaire.title,
            "kind": questionnaire.kind,
            "intro": questionnaire.intro,
        },
    )

    def written(writable: services.Writable) -> HttpResponse:
        _saved(request, writable, questionnaire)
        return _to_questionnaire(request, writable.questionnaire)

    return submit(
        request,
        form,
        lambda: services.questionnaire_update(questionnaire, form.cleaned_data, by=request.user),
        success=None,
        redirect_to=written,
        template="questionnaires/form_page.html",
        context={
            "questionnaire": questionnaire,
            "title": _("Title and introduction"),
            "back": questionnaire.url_in(request.org.organisation.slug),
        },
    )


@org_view(Perm.QUESTIONNAIRES_EDIT)
@require_POST
def questionnaire_copy(request: OrgRequest, questionnaire_pk: int) -> HttpResponse:
    ctx = request.org
    source = questionnaire_for(ctx, questionnaire_pk)
    made = services.questionnaire_copy(source, ctx.organisation, by=request.user)
    messages.success(request, _("This is the organisation's copy: edit it as you need."))
    return _to_questionnaire(request, made)


@org_view(Perm.QUESTIONNAIRES_EDIT)
@require_POST
def questionnaire_delete(request: OrgRequest, questionnaire_pk: int) -> HttpResponse:
    ctx = request.org
    questionnaire = questionnaire_for(ctx, questionnaire_pk)
    previous = questionnaire.previous
    try:
        services.questionnaire_delete(questionnaire, by=request.user)
    except ValidationError as error:
        _refuse(request, error)
        return _to_questionnaire(request, questionnaire)
    messages.success(request, _("The questionnaire is deleted."))
    if previous is not None:
        return _to_questionnaire(request, previous)
    return redirect("questionnaires:list", org_slug=ctx.organisation.slug)


@org_view(Perm.QUESTIONNAIRES_VIEW)
def questionnaire_docx_view(request: OrgRequest, questionnaire_pk: int) -> HttpResponseBase:
    ctx = request.org
    questionnaire = questionnaire_for(ctx, questionnaire_pk)
    content = questionnaire_docx(questionnaire, ctx.organisation)
    return download(content, f"{_file_stem(questionnaire.title)}.docx", DOCX_CONTENT_TYPE)


def _pdf_or_back(request: HttpRequest, docx: bytes, name: str, back: str) -> HttpResponseBase:
    try:
        pdf = docx_to_pdf(docx)
    except PdfConversionError:
        messages.error(request, PDF_UNAVAILABLE)
        return redirect(back)
    return download(pdf, f"{name}.pdf", "application/pdf")


@org_view(Perm.QUESTIONNAIRES_VIEW)
def questionnaire_pdf_view(request: OrgRequest, questionnaire_pk: int) -> HttpResponseBase:
    ctx = request.org
    questionnaire = questionnaire_for(ctx, questionnaire_pk)
    return _pdf_or_back(
        request,
        questionnaire_docx(questionnaire, ctx.organisation),
        _file_stem(questionnaire.title),
        questionnaire.url_in(ctx.organisation.slug),
    )


# --- Sections ---------------------------------------------------------------------------------


_PART_TEMPLATES = {
    "section": "questionnaires/form_page.html",
    "question": "questionnaires/question_form.html",
}


def _part_page(
    request: OrgRequest,
    form: SectionForm | QuestionForm,
    write: Callable[[], tuple[Section | Question, services.Writable]],
    questionnaire: Questionnaire,
    title: str,
    kind: Literal["section", "question"],
    part: Section | Question | None = None,
) -> HttpResponse:
    """The page that adds or edits a section or a question of `questionnaire`; one already
    written (`part`) can be deleted from it."""
    slug = request.org.organisation.slug
    return submit(
        request,
        form,
        write,
        success=None,
        redirect_to=_to_written(request, questionnaire, kind),
        template=_PART_TEMPLATES[kind],
        context={
            "questionnaire": questionnaire,
            "title": title,
            "back": questionnaire.url_in(slug),
            "delete_url": reverse(
                f"questionnaires:{kind}_delete",
                kwargs={"org_slug": slug, f"{kind}_pk": part.pk},
            )
            if part
            else "",
        },
    )


@org_view(Perm.QUESTIONNAIRES_EDIT)
def section_create(request: OrgRequest, questionnaire_pk: int) -> HttpResponse:
    questionnaire = questionnaire_for(request.org, questionnaire_pk)
    if (back := _editable_or_back(request, questionnaire)) is not None:
        return back
    form = SectionForm(request.POST or None)
    return _part_page(
        request,
        form,
        lambda: services.section_add(questionnaire, form.cleaned_data, by=request.user),
        questionnaire,
        _("New section"),
        "section",
    )


@org_view(Perm.QUESTIONNAIRES_EDIT)
def section_edit(request: OrgRequest, section_pk: int) -> HttpResponse:
    section = section_for(request.org, section_pk)
    questionnaire = section.questionnaire
    form = SectionForm(
        request.POST or None, initial={"title": section.title, "intro": section.intro}
    )
    return _part_page(
        request,
        form,
        lambda: services.section_update(section, form.cleaned_data, by=request.user),
        questionnaire,
        _("Section"),
        "section",
        section,
    )


@org_view(Perm.QUESTIONNAIRES_EDIT)
@require_POST
def section_delete(request: OrgRequest, section_pk: int) -> HttpResponse:
    section = section_for(request.org, section_pk)
    return _rewrite(
        request, section.questionnaire, lambda: services.section_delete(section, by=request.user)
    )


def _rewrite(
    request: OrgRequest,
    old: Questionnaire,
    change: Callable[[], services.Writable],
    anchor: Callable[[services.Writable], str] = lambda writable: "",
    *,
    quiet_in_place: bool = False,
) -> HttpResponse:
    """A POST that deletes or moves a section or a question: refused, back to the
    questionnaire; done, to the version it was done in. A move in place says nothing: the
    page shows it."""
    try:
        writable = change()
    except ValidationError as error:
        _refuse(request, error)
        return _to_questionnaire(request, old)
    if writable.new_version or not quiet_in_place:
        _saved(request, writable, old)
    return _to_questionnaire(request, writable.questionnaire, anchor(writable))


def _step(request: HttpRequest) -> int:
    return -1 if request.POST.get("direction") == "up" else 1


@org_view(Perm.QUESTIONNAIRES_EDIT)
@require_POST
def section_move(request: OrgRequest, section_pk: int) -> HttpResponse:
    section = section_for(request.org, section_pk)
    return _rewrite(
        request,
        section.questionnaire,
        lambda: services.section_move(section, _step(request), by=request.user),
        lambda writable: f"section-{writable.sections[section.pk].pk}",
        quiet_in_place=True,
    )


# --- Questions --------------------------------------------------------------------------------


def _earlier(questionnaire: Questionnaire, question: Question | None) -> list[Question]:
    ordered = sorted(
        questionnaire.questions.select_related("section"),
        key=lambda q: (q.section.position, q.position, q.pk),
    )
    if question is None:
        return ordered
    return ordered[: [q.pk for q in ordered].index(question.pk)]


@org_view(Perm.QUESTIONNAIRES_EDIT)
def question_create(request: OrgRequest, questionnaire_pk: int) -> HttpResponse:
    questionnaire = questionnaire_for(request.org, questionnaire_pk)
    if (back := _editable_or_back(request, questionnaire)) is not None:
        return back
    section = request.GET.get("section")
    form = QuestionForm(
        request.POST or None,
        questionnaire=questionnaire,
        earlier=_earlier(questionnaire, None),
        initial={"required": True, "section": section, "type": "single"},
    )
    return _part_page(
        request,
        form,
        lambda: services.question_add(questionnaire, form.service_data(), by=request.user),
        questionnaire,
        _("New question"),
        "question",
    )


@org_view(Perm.QUESTIONNAIRES_EDIT)
def question_edit(request: OrgRequest, question_pk: int) -> HttpResponse:
    question = question_for(request.org, question_pk)
    questionnaire = question.questionnaire
    form = QuestionForm(
        request.POST or None,
        questionnaire=questionnaire,
        earlier=_earlier(questionnaire, question),
        initial=QuestionForm.initial_for(question),
    )
    return _part_page(
        request,
        form,
        lambda: services.question_update(question, form.service_data(), by=request.user),
        questionnaire,
        _("Question"),
        "question",
        question,
    )


@org_view(Perm.QUESTIONNAIRES_EDIT)
@require_POST
def question_delete(request: OrgRequest, question_pk: int) -> HttpResponse:
    question = question_for(request.org, question_pk)
    return _rewrite(
        request,
        question.questionnaire,
        lambda: services.question_delete(question, by=request.user),
    )


@org_view(Perm.QUESTIONNAIRES_EDIT)
@require_POST
def question_move(request: OrgRequest, question_pk: int) -> HttpResponse:
    question = question_for(request.org, question_pk)
    return _rewrite(
        request,
        question.questionnaire,
        lambda: services.question_move(question, _step(request), by=request.user),
        lambda writable: f"question-{writable.questions[question.pk].pk}",
        quiet_in_place=True,
    )


# --- Campaigns --------------------------------------------------------------------------------


@org_view(Perm.QUESTIONNAIRES_VIEW)
def campaign_list(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    today = timezone.localdate()
    programme = current_programme(ctx, today)
    rows: list[Campaign] = []
    if programme is not None:
        rows = list(
            campaigns_of(ctx)
            .filter(programme=programme)
            .select_related("questionnaire")
            .annotate(
                invited=Count("invitations", distinct=True),
                answered=Count("responses", distinct=True),
            )
            .order_by("-created_at", "-pk")
        )
    return render(
        request,
        "questionnaires/campaigns.html",
        {
            "programme": programme,
            "campaigns": rows,
            "today": today,
            "can_send": ctx.can(Perm.CAMPAIGNS_MANAGE) and programme is not None,
        },
    )


def _sendable(ctx: OrgContext) -> Any:
    return (
        questionnaires_of(ctx)
        .latest()
        .filter(questions__isnull=False)
        .distinct()
        .order_by("organisation", "title", "pk")
    )


@org_view(Perm.CAMPAIGNS_MANAGE)
def campaign_create(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    today = timezone.localdate()
    programme = current_programme(ctx, today)
    if programme is None:
        messages.info(request, _("There is no programme for this academic year yet."))
        return redirect("questionnaires:campaigns", org_slug=ctx.organisation.slug)
    sendable = _sendable(ctx)
    chosen = request.GET.get("questionnaire")
    initial = {"deadline": today + timedelta(days=14), "send_mail": True}
    if chosen and chosen.isdigit() and sendable.filter(pk=chosen).exists():
        initial["questionnaire"] = int(chosen)
    form = CampaignForm(
        request.POST or None, programme=programme, questionnaires=sendable, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent = _attempt(
            form,
            lambda: campaign_services.campaign_send(
                programme,
                data["questionnaire"],
                title=data["title"],
                audience=data["audience"],
                params=form.audience_params(),
                form=data["form"],
                phase=data["phase"],
                anonymous=data["anonymous"],
                deadline=data["deadline"],
                send_mail=data["send_mail"],
                by=request.user,
                base_url=request.build_absolute_uri("/"),
            ),
        )
        if sent is not None:
            messages.success(
                request,
                _("The questionnaire is sent: %(invited)s invited, %(mailed)s by e-mail.")
                % {"invited": sent.invited, "mailed": sent.mailed},
            )
            if sent.left_out:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s person of the audience is not invited: no valid consent to "
                        "take part in the programme.",
                        "%(count)s people of the audience are not invited: no valid consent to "
                        "take part in the programme.",
                        sent.left_out,
                    )
                    % {"count": sent.left_out},
                )
            return redirect(sent.campaign.get_absolute_url())
    return render(
        request, "questionnaires/campaign_form.html", {"form": form, "programme": programme}
    )


def _progress(campaign: Campaign) -> dict[str, Any]:
    counts = campaign.invitations.aggregate(
        total=Count("pk"), answered=Count("pk", filter=Q(answered=True))
    )
    answered = campaign.responses.count()
    total = counts["total"]
    return {
        "total": total,
        "answered": answered,
        "percent": min(100, round(100 * answered / total)) if total else 0,
        "open": campaign.is_open_on(timezone.localdate()),
    }


@org_view(Perm.QUESTIONNAIRES_VIEW)
def campaign_detail(request: OrgRequest, campaign_pk: int) -> HttpResponse:
    ctx = request.org
    campaign = campaign_for(ctx, campaign_pk)
    # Anonymous: counts only. Not even the list of the invited with when each was reminded or
    # given a code: only those still waiting are reminded, so that would tell who answered.
    invitations = (
        []
        if campaign.anonymous
        else list(
            campaign.invitations.select_related("person", "response").order_by(
                "person__grade",
                "person__class_letter",
                "person__last_name",
                "person__first_name",
                "pk",
            )
        )
    )
    # As they are now: a person hidden after a withdrawn consent is not named even here.
    left_out = list(
        Person.objects.filter(organisation=ctx.organisation, pk__in=campaign.left_out)
        .exclude(hidden_q())
        .order_by("last_name", "first_name", "pk")
    )
    progress = _progress(campaign)
    return render(
        request,
        "questionnaires/campaign_detail.html",
        {
            "campaign": campaign,
            "invitations": invitations,
            "left_out": left_out,
            "progress": progress,
            "withheld": anonymity.withheld(campaign),
            "anonymity_min": anonymity.minimum(),
            # Paper forms of an anonymous campaign count without an invitation: never below 0.
            "waiting": max(0, progress["total"] - progress["answered"]),
            "can_manage": ctx.can(Perm.CAMPAIGNS_MANAGE),
            "code_url": campaign_services.code_url(base_url=request.build_absolute_uri("/")),
        },
    )


@org_view(Perm.QUESTIONNAIRES_VIEW)
def campaign_progress(request: OrgRequest, campaign_pk: int) -> HttpResponse:
    """The progress fragment the campaign page polls; a reload shows the same."""
    campaign = campaign_for(request.org, campaign_pk)
    return render(
        request,
        "questionnaires/_progress.html",
        {"campaign": campaign, "progress": _progress(campaign)},
    )


@org_view(Perm.CAMPAIGNS_MANAGE)
@require_POST
def campaign_close(request: OrgRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_for(request.org, campaign_pk)
    return perform(
        request,
        lambda: campaign_services.campaign_close(campaign, by=request.user),
        success=_("The campaign is closed: it no longer takes answers."),
        redirect_to=campaign.get_absolute_url(),
    )


@org_view(Perm.CAMPAIGNS_MANAGE)
@require_POST
def campaign_remind(request: OrgRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_for(request.org, campaign_pk)
    return perform(
        request,
        lambda: campaign_services.campaign_remind(
            campaign, by=request.user, base_url=request.build_absolute_uri("/")
        ),
        success=lambda count: (
            ngettext(
                "A reminder is sent to %(count)s person.",
                "Reminders are sent to %(count)s people.",
                count,
            )
            % {"count": count}
        ),
        redirect_to=campaign.get_absolute_url(),
    )


def _slips(request: OrgRequest, campaign_pk: int, *, pdf: bool) -> HttpResponseBase:
    campaign = campaign_for(request.org, campaign_pk)

    def render_slips(locked: Campaign, slips: list[campaign_services.Slip]) -> bytes:
        document = slips_docx(locked, slips)
        return docx_to_pdf(document) if pdf else document

    try:
        content = campaign_services.slips_print(
            campaign, render_slips, by=request.user, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        _refuse(request, error)
        return redirect(campaign.get_absolute_url())
    except PdfConversionError:
        messages.error(request, PDF_UNAVAILABLE)
        return redirect(campaign.get_absolute_url())
    name = f"Коды — {_file_stem(campaign.title)}"
    if pdf:
        return download(content, f"{name}.pdf", "application/pdf")
    return download(content, f"{name}.docx", DOCX_CONTENT_TYPE)


@org_view(Perm.CAMPAIGNS_MANAGE)
@require_POST
def campaign_slips_docx(request: OrgRequest, campaign_pk: int) -> HttpResponseBase:
    return _slips(request, campaign_pk, pdf=False)


@org_view(Perm.CAMPAIGNS_MANAGE)
@require_POST
def campaign_slips_pdf(request: OrgRequest, campaign_pk: int) -> HttpResponseBase:
    return _slips(request, campaign_pk, pdf=True)


def _campaign_questionnaire(ctx: OrgContext, campaign: Campaign) -> bytes:
    """The campaign's questionnaire on paper (DOCX), with the people a ranking question
    lists."""
    return questionnaire_docx(
        campaign.questionnaire,
        ctx.organisation,
        pools=pools_of(campaign, questions_of(campaign)),
        anonymous=campaign.anonymous,
    )


@org_view(Perm.QUESTIONNAIRES_VIEW)
def campaign_questionnaire_docx(request: OrgRequest, campaign_pk: int) -> HttpResponseBase:
    campaign = campaign_for(request.org, campaign_pk)
    content = _campaign_questionnaire(request.org, campaign)
    return download(content, f"{_file_stem(campaign.title)}.docx", DOCX_CONTENT_TYPE)


@org_view(Perm.QUESTIONNAIRES_VIEW)
def campaign_questionnaire_pdf(request: OrgRequest, campaign_pk: int) -> HttpResponseBase:
    campaign = campaign_for(request.org, campaign_pk)
    content = _campaign_questionnaire(request.org, campaign)
    return _pdf_or_back(request, content, _file_stem(campaign.title), campaign.get_absolute_url())


@org_view(Perm.QUESTIONNAIRES_VIEW)
def campaign_results(request: OrgRequest, campaign_pk: int) -> HttpResponse:
    campaign = campaign_for(request.org, campaign_pk)
    progress = _progress(campaign)
    withheld = anonymity.withheld(campaign)
    return render(
        request,
        "questionnaires/results.html",
        {
            "campaign": campaign,
            "results": [] if withheld else results_of(campaign),
            "withheld": withheld,
            "anonymity_min": anonymity.minimum(),
            "progress": progress,
            "can_export": request.org.can(Perm.CAMPAIGNS_MANAGE) and withheld is None,
        },
    )


def withheld_message(withheld: anonymity.Withheld) -> str:
    if withheld.online is not None:
        return ONLINE_SHORT % {
            "minimum": withheld.minimum,
            "online": withheld.online,
            "needed": withheld.needed,
        }
    return ngettext(
        "The campaign is anonymous: its answers are shown once at least %(minimum)s people "
        "have answered, so that nobody's answers can be told apart. %(answered)s have "
        "answered so far: %(needed)s more answer is needed.",
        "The campaign is anonymous: its answers are shown once at least %(minimum)s people "
        "have answered, so that nobody's answers can be told apart. %(answered)s have "
        "answered so far: %(needed)s more answers are needed.",
        withheld.needed,
    ) % {"minimum": withheld.minimum, "answered": withheld.answered, "needed": withheld.needed}


@org_view(Perm.CAMPAIGNS_MANAGE)
def campaign_export(request: OrgRequest, campaign_pk: int) -> HttpResponseBase:
    campaign = campaign_for(request.org, campaign_pk)
    try:
        content = answers_xlsx(campaign)
    except anonymity.ResultsWithheld as refused:
        messages.error(request, withheld_message(refused.withheld))
        return redirect(
            "questionnaires:campaign_results",
            org_slug=campaign.organisation.slug,
            campaign_pk=campaign.pk,
        )
    return download(content, f"Ответы — {_file_stem(campaign.title)}.xlsx", XLSX_CONTENT_TYPE)


# --- Answers typed in from paper and single responses -----------------------------------------


def _entry_page(
    request: HttpRequest,
    campaign: Campaign,
    submit: Callable[[dict[str, list[str]]], Response],
    person: Person | None,
) -> HttpResponse:
    questions = questions_of(campaign)
    pools = pools_of(campaign, questions, person)
    raw: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        raw = raw_from_post(request.POST, questions)
        try:
            response = submit(raw)
        except InvitationNotUsable as refused:
            messages.error(request, not_usable_message(refused.state))
            return redirect(campaign.get_absolute_url())
        except ValidationError as error:
            errors = error_messages(error)
        else:
            messages.success(request, _("The answers are saved."))
            if campaign.anonymous:
                return redirect(
                    "questionnaires:campaign_enter",
                    org_slug=campaign.organisation.slug,
                    campaign_pk=campaign.pk,
                )
            return redirect(
                "questionnaires:response_detail",
                org_slug=campaign.organisation.slug,
                response_pk=response.pk,
            )
    return render(
        request,
        "questionnaires/enter.html",
        {
            "campaign": campaign,
            "person": person,
            "sheet": answer_sheet(questions, raw, errors, pools),
            "errors": errors,
        },
    )


@org_view(Perm.CAMPAIGNS_MANAGE)
def invitation_enter(request: OrgRequest, survey_invitation_pk: int) -> HttpResponse:
    """The curator types in the paper answers of one invitation (a campaign with names)."""
    invitation = invitation_for(request.org, survey_invitation_pk)
    campaign = invitation.campaign
    if campaign.anonymous:
        raise Http404
    try:
        check_usable(invitation, paper=True)
    except InvitationNotUsable as refused:
        messages.error(request, not_usable_message(refused.state))
        return redirect(campaign.get_absolute_url())
    return _entry_page(
        request,
        campaign,
        lambda raw: response_submit(invitation, raw, channel=Channel.PAPER, by=request.user),
        invitation.person,
    )


@org_view(Perm.CAMPAIGNS_MANAGE)
def campaign_enter(request: OrgRequest, campaign_pk: int) -> HttpResponse:
    """The curator types in an anonymous paper form."""
    campaign = campaign_for(request.org, campaign_pk)
    if not campaign.anonymous:
        raise Http404
    if campaign.closed_at is not None:
        messages.error(request, not_usable_message("closed"))
        return redirect(campaign.get_absolute_url())
    return _entry_page(
        request,
        campaign,
        lambda raw: response_enter_anonymous(campaign, raw, by=request.user),
        None,
    )


@org_view(Perm.QUESTIONNAIRES_VIEW)
def response_detail(request: OrgRequest, response_pk: int) -> HttpResponse:
    response = response_for(request.org, response_pk)
    campaign = response.campaign
    # One anonymous response on its own is one person's answers, whatever the count: the
    # results page is the only way to them.
    if campaign.anonymous:
        raise Http404
    questions = questions_of(campaign)
    answers = {a.question_id: a.value for a in response.answers.all()}
    ranked = [int(pk) for q in questions if q.type == "ranking" for pk in answers.get(q.pk) or []]
    names = {p.pk: p.full_name for p in Person.objects.filter(pk__in=ranked)}
    rows = []
    for number, question in enumerate(questions, start=1):
        value = answers.get(question.pk)
        rows.append((number, question, _shown_value(question, value, names)))
    notes = {note["question"]: note["reason"] for note in response.feed_notes}
    return render(
        request,
        "questionnaires/response_detail.html",
        {
            "response": response,
            "campaign": campaign,
            "rows": rows,
            "notes": notes,
            "feeds": {key: feed.label for key, feed in FEEDS.items()},
        },
    )


def _shown_value(question: Question, value: Any, names: dict[int, str]) -> Any:
    if value is None:
        return None
    if question.type == "multiple":
        return [question.shown_choice_label(v) for v in value]
    if question.type == "single":
        return question.shown_choice_label(value)
    if question.type == "ranking":
        return [names.get(int(pk), "—") for pk in value]
    return typed(question, value)
