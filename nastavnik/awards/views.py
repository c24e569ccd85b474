"""The awards of the year: nominations of a programme, their jury and nominees, scoring,
results and winners, the documents handed out and the awards order.

Scoring is blind for everybody until the winners are chosen: a juror sees only the nominations
of their jury and their own scores, those who run the awards see who finished and how many
scored each nominee, never a score, a comment or a mean — so nobody scores or decides with an
eye on the others' scores.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.accounts.models import User
from nastavnik.awards import services
from nastavnik.awards.access import award_for, nomination_for, nominations_of, nominee_for
from nastavnik.awards.documents import (
    award_docx,
    award_file_name,
    award_pdf,
    awards_zip,
    with_details,
)
from nastavnik.awards.forms import (
    DecideForm,
    JuryForm,
    NominationForm,
    NomineeForm,
    OrderForm,
    ScoreForm,
)
from nastavnik.awards.models import QUORUM, Award, JuryScore, Nomination, Nominee
from nastavnik.core.access import OrgRequest, org_view
from nastavnik.core.outcomes import attempt, perform, refuse, submit
from nastavnik.documents.render import PdfConversionError, PdfConverterMissing, find_soffice
from nastavnik.orders.models import OrderStatus
from nastavnik.orgs.policy import Perm
from nastavnik.people.validators import org_today
from nastavnik.programmes.access import current_programme, programme_for, programmes_of
from nastavnik.programmes.forms import ProgrammeChoice
from nastavnik.programmes.models import Programme

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _list_url(request: OrgRequest, programme: Programme) -> str:
    url = reverse("awards:list", kwargs={"org_slug": request.org.organisation.slug})
    return f"{url}?programme={programme.pk}"


def _to_nomination(request: OrgRequest, nomination: Nomination) -> HttpResponse:
    return redirect(
        "awards:nomination",
        org_slug=request.org.organisation.slug,
        nomination_pk=nomination.pk,
    )


def _nominees(nomination: Nomination) -> list[Nominee]:
    return list(
        Nominee.objects.filter(nomination=nomination)
        .select_related("mentor__person", "mentorship__mentor__person", "person")
        .prefetch_related("mentorship__members__mentee__person")
        .order_by("pk")
    )


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# --- Nominations ---------------------------------------------------------------------------------


@org_view(Perm.AWARDS_SCORE)
def nomination_list(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    current = current_programme(ctx, org_today(ctx.organisation))
    choice = ProgrammeChoice(
        request.GET or None,
        programmes=programmes_of(ctx),
        initial={"programme": current.pk if current else None},
    )
    programme = choice.chosen(current)
    nominations: list[Nomination] = []
    if programme is not None:
        nominations = list(nominations_of(ctx, _user(request)).filter(programme=programme))
    manage = ctx.can(Perm.AWARDS_MANAGE)
    missing_builtins = manage and programme is not None and _missing_builtins(programme)
    return render(
        request,
        "awards/list.html",
        {
            "choice": choice,
            "programme": programme,
            "nominations": _with_counts(nominations),
            "manage": manage,
            "missing_builtins": missing_builtins,
        },
    )


def _missing_builtins(programme: Programme) -> bool:
    codes = set(Nomination.objects.filter(programme=programme).values_list("code", flat=True))
    return any(builtin.code not in codes for builtin in services.BUILTINS)


def _with_counts(nominations: list[Nomination]) -> list[dict[str, Any]]:
    counts = {
        row["pk"]: row
        for row in Nomination.objects.filter(pk__in=[n.pk for n in nominations])
        .values("pk")
        .annotate(
            nominees_count=Count("nominees", distinct=True),
            jury_count=Count("jury", distinct=True),
        )
    }
    return [
        {
            "nomination": n,
            "nominees": counts[n.pk]["nominees_count"],
            "jury": counts[n.pk]["jury_count"],
        }
        for n in nominations
    ]


@org_view(Perm.AWARDS_MANAGE)
@require_POST
def builtin_create(request: OrgRequest, programme_pk: int) -> HttpResponse:
    programme = programme_for(request.org, programme_pk)
    made = services.builtin_nominations_create(programme, by=_user(request))
    if made:
        messages.success(
            request,
            _("Nominations added: %(names)s.") % {"names": ", ".join(f"«{n.name}»" for n in made)},
        )
    return redirect(_list_url(request, programme))


@org_view(Perm.AWARDS_MANAGE)
def nomination_create(request: OrgRequest, programme_pk: int) -> HttpResponse:
    programme = programme_for(request.org, programme_pk)
    form = NominationForm(request.POST or None)
    return submit(
        request,
        form,
        lambda: services.nomination_create(programme, form.cleaned_data, by=_user(request)),
        success=lambda made: _("The nomination «%(name)s» is added.") % {"name": made},
        redirect_to=lambda made: _to_nomination(request, made),
        template="awards/form_page.html",
        context={
            "title": _("New nomination"),
            "back": _list_url(request, programme),
            "submit": _("Add the nomination"),
        },
    )


@org_view(Perm.AWARDS_MANAGE)
@require_POST
def nomination_delete(request: OrgRequest, nomination_pk: int) -> HttpResponse:
    nomination = nomination_for(request.org, _user(request), nomination_pk)
    try:
        services.nomination_delete(nomination, by=_user(request))
    except ValidationError as error:
        refuse(request, error)
        return _to_nomination(request, nomination)
    messages.success(request, _("The nomination «%(name)s» is deleted.") % {"name": nomination})
    return redirect(_list_url(request, nomination.programme))


@org_view(Perm.AWARDS_SCORE)
def nomination_detail(request: OrgRequest, nomination_pk: int) -> HttpResponse:
    ctx = request.org
    user = _user(request)
    nomination = nomination_for(ctx, user, nomination_pk)
    nominees = _nominees(nomination)
    manage = ctx.can(Perm.AWARDS_MANAGE)
    juror = services.juror_of(nomination, user)
    # Scoring is blind for everybody, those who run the awards included: until the winners are
    # chosen a juror sees their own scores, the others how far the jury has got, never a score
    # or a mean. Once decided the results show with each juror's name, as the protocol does.
    show_results = nomination.is_decided
    own = {}
    if juror is not None:
        own = {s.nominee_id: s for s in JuryScore.objects.filter(juror=juror)}
    results = services.results(nomination, nominees) if show_results else []
    scores_by_nominee: dict[int, list[JuryScore]] = {}
    if show_results:
        for score in JuryScore.objects.filter(nominee__nomination=nomination).select_related(
            "juror__user"
        ):
            scores_by_nominee.setdefault(score.nominee_id, []).append(score)
    jury = list(nomination.jury.select_related("user"))
    jury_progress = [] if show_results else services.jury_progress(nomination, nominees)
    own_finished = any(p.finished for p in jury_progress if juror and p.juror.pk == juror.pk)
    return render(
        request,
        "awards/detail.html",
        {
            "nomination": nomination,
            "nominees": [
                {"nominee": n, "own": own.get(n.pk), "scores": scores_by_nominee.get(n.pk, [])}
                for n in nominees
            ],
            "results": results,
            "show_results": show_results,
            "manage": manage,
            "juror": juror,
            "jury": jury,
            "quorum": QUORUM,
            # Who finished is for those who run the awards; a juror learns only their own.
            "jury_progress": jury_progress if manage else [],
            "nominee_progress": services.nominee_progress(nomination, nominees)
            if manage and not show_results
            else [],
            "own_finished": own_finished,
            "awards": list(
                Award.objects.filter(nominee__nomination=nomination).select_related("recipient")
            )
            if nomination.is_decided and manage
            else [],
        },
    )


@org_view(Perm.AWARDS_MANAGE)
def jury_edit(request: OrgRequest, nomination_pk: int) -> HttpResponse:
    ctx = request.org
    nomination = nomination_for(ctx, _user(request), nomination_pk)
    form = JuryForm(
        request.POST or None,
        organisation=ctx.organisation,
        initial={"members": [j.user_id for j in nomination.jury.all()]},
    )
    return submit(
        request,
        form,
        lambda: services.jury_set(nomination, form.cleaned_data["members"], by=_user(request)),
        success=_("The jury is saved."),
        redirect_to=_to_nomination(request, nomination),
        template="awards/form_page.html",
        context={
            "title": _("Jury of the nomination «%(name)s»") % {"name": nomination.name},
            "back": _nomination_url(request, nomination),
            "submit": _("Save the jury"),
        },
    )


def _nomination_url(request: OrgRequest, nomination: Nomination) -> str:
    return reverse(
        "awards:nomination",
        kwargs={"org_slug": request.org.organisation.slug, "nomination_pk": nomination.pk},
    )


# --- Nominees ------------------------------------------------------------------------------------


@org_view(Perm.AWARDS_MANAGE)
def nominee_add(request: OrgRequest, nomination_pk: int) -> HttpResponse:
    nomination = nomination_for(request.org, _user(request), nomination_pk)
    form = NomineeForm(request.POST or None, nomination=nomination)
    return submit(
        request,
        form,
        lambda: services.nominee_add(
            nomination,
            merits=form.cleaned_data["merits"],
            by=_user(request),
            **form.target(),
        ),
        success=lambda made: _("%(name)s is nominated.") % {"name": made},
        redirect_to=_to_nomination(request, nomination),
        template="awards/form_page.html",
        context={
            "title": _("Nominee of «%(name)s»") % {"name": nomination.name},
            "back": _nomination_url(request, nomination),
            "submit": _("Nominate"),
        },
    )


@org_view(Perm.AWARDS_MANAGE)
@require_POST
def nominee_remove(request: OrgRequest, nominee_pk: int) -> HttpResponse:
    nominee = nominee_for(request.org, nominee_pk)
    return perform(
        request,
        lambda: services.nominee_remove(nominee, by=_user(request)),
        success=_("The nominee is removed."),
        redirect_to=_to_nomination(request, nominee.nomination),
    )


# --- Scores and the decision ---------------------------------------------------------------------


@org_view(Perm.AWARDS_SCORE)
def score(request: OrgRequest, nomination_pk: int) -> HttpResponse:
    """A juror scores every nominee on one page; all scores are saved or none."""
    user = _user(request)
    nomination = nomination_for(request.org, user, nomination_pk)
    juror = services.juror_of(nomination, user)
    nominees = _nominees(nomination)
    own = {s.nominee_id: s for s in JuryScore.objects.filter(juror=juror)} if juror else {}
    initial: dict[str, Any] = {}
    for nominee_pk, saved in own.items():
        initial[f"score_{nominee_pk}"] = str(saved.score)
        initial[f"comment_{nominee_pk}"] = saved.comment
    form = ScoreForm(request.POST or None, nominees=nominees, initial=initial)
    if juror is not None and request.method == "POST" and form.is_valid():

        def save_all() -> int:
            with transaction.atomic():
                for nominee, value, comment in form.scores():
                    services.score_save(nominee, user, value, comment, by=user)
            return len(form.scores())

        saved = attempt(form, save_all)
        if saved is not None:
            messages.success(request, _("Your scores are saved."))
            return _to_nomination(request, nomination)
    return render(
        request,
        "awards/score.html",
        {
            "nomination": nomination,
            "form": form,
            "juror": juror,
            "not_juror": services.MESSAGES["not_juror"],
        },
    )


@org_view(Perm.AWARDS_MANAGE)
def decide(request: OrgRequest, nomination_pk: int) -> HttpResponse:
    """Closing the scoring: how many places, and how a tie at the top goes. The page shows the
    jury's progress (who finished, how many scored each nominee), never a score."""
    nomination = nomination_for(request.org, _user(request), nomination_pk)
    nominees = _nominees(nomination)
    tied = [] if nomination.is_decided else services.tied_first(nomination)
    form = DecideForm(request.POST or None, tied=tied)
    if request.method == "POST" and not nomination.is_decided and form.is_valid():
        done = attempt(
            form,
            lambda: services.nomination_decide(nomination, **form.decision(), by=_user(request)),
        )
        if done is not None:
            messages.success(
                request,
                _("The winners are chosen; their diplomas and letters of thanks are ready."),
            )
            return _to_nomination(request, nomination)
    return render(
        request,
        "awards/decide.html",
        {
            "nomination": nomination,
            "form": form,
            "tied": tied,
            "jury_progress": services.jury_progress(nomination, nominees),
            "nominee_progress": services.nominee_progress(nomination, nominees),
            "quorum": QUORUM,
        },
    )


# --- Documents and the order ---------------------------------------------------------------------


@org_view(Perm.AWARDS_MANAGE)
def documents(request: OrgRequest, programme_pk: int) -> HttpResponse:
    programme = programme_for(request.org, programme_pk)
    awards = list(with_details(Award.objects.filter(programme=programme)).order_by("number"))
    orders = list(services.awards_orders(programme).order_by("-date", "-pk"))
    return render(
        request,
        "awards/documents.html",
        {
            "programme": programme,
            "awards": awards,
            "orders": orders,
            "pending": any(o.status == OrderStatus.DRAFT for o in orders),
            "pdf_available": find_soffice() is not None,
            "back": _list_url(request, programme),
        },
    )


@org_view(Perm.AWARDS_MANAGE)
def documents_zip(request: OrgRequest, programme_pk: int) -> HttpResponse:
    programme = programme_for(request.org, programme_pk)
    awards = Award.objects.filter(programme=programme)
    if not awards.exists():
        messages.error(request, _("No award document yet: choose the winners of a nomination."))
        return redirect(
            "awards:documents", org_slug=programme.organisation.slug, programme_pk=programme.pk
        )
    name = f"Награды {programme.academic_year.label.replace('/', '-')}.zip"
    return _download(awards_zip(awards), name, "application/zip")


@org_view(Perm.AWARDS_MANAGE)
def award_download(request: OrgRequest, award_pk: int) -> HttpResponse:
    award = award_for(request.org, award_pk)
    return _download(award_docx(award), award_file_name(award, "docx"), DOCX_TYPE)


@org_view(Perm.AWARDS_MANAGE)
def award_download_pdf(request: OrgRequest, award_pk: int) -> HttpResponse:
    award = award_for(request.org, award_pk)
    back = redirect(
        "awards:documents", org_slug=award.organisation.slug, programme_pk=award.programme_id
    )
    try:
        content = award_pdf(award)
    except PdfConverterMissing:
        messages.error(
            request,
            _(
                "PDF cannot be made on this server: LibreOffice is not installed. Download the "
                "DOCX and print it or save it as PDF from a word processor."
            ),
        )
        return back
    except PdfConversionError:
        messages.error(request, _("The PDF could not be made; try again or download the DOCX."))
        return back
    return _download(content, award_file_name(award, "pdf"), "application/pdf")


@org_view(Perm.AWARDS_MANAGE)
def order_create(request: OrgRequest, programme_pk: int) -> HttpResponse:
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    form = OrderForm.offered(request.POST or None, ctx.organisation)
    return submit(
        request,
        form,
        lambda: services.awards_order_create(programme, form.order_details(), by=_user(request)),
        success=lambda made: (
            _("The awards order № %(number)s is prepared: the director signs it.")
            % {"number": made.number}
        ),
        redirect_to=lambda made: redirect(
            "orders:detail", org_slug=ctx.organisation.slug, order_pk=made.pk
        ),
        template="awards/form_page.html",
        context=lambda: {
            "title": _("The awards order"),
            "intro": services.awards_title(programme),
            "back": _list_url(request, programme),
            "submit": _("Prepare the order"),
        },
    )
