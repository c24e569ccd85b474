"""The compliance checks: each rule of the regulation (seed 002, «Положение о наставничестве») or
the methodology (seed 000) the data can break, with the rows breaking it now.

The rules themselves are asked of the apps that own them (consents.rules for consent, the mentor
base's rules for documents and the mentor school, indicators.deadlines for the half-year
assessment); here they are only gathered. Each function runs a fixed number of queries.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nastavnik.compliance.registry import Found, QueryRows, Row, Scope, check
from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import (
    ADULT_AGE,
    hidden_q,
    participation_withdrawn_q,
    valid_exists,
)
from nastavnik.consents.rules import needed_for as consents_needed_for
from nastavnik.core.dates import years_later
from nastavnik.indicators.deadlines import half_year_state
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentors.models import (
    COMMISSION_MAX,
    COMMISSION_MIN,
    ONE_TO_ONE_LIMIT,
    CommissionMember,
    Mentor,
    MentorStatus,
)
from nastavnik.mentors.rules import (
    missing_documents_q,
    required_held,
    training_completed_q,
    with_training,
)
from nastavnik.mentorships.models import (
    LatestEnd,
    MentorAssignment,
    Mentorship,
    MentorshipMentee,
    MentorshipStatus,
)
from nastavnik.orders.models import OrderStatus
from nastavnik.people.models import Person
from nastavnik.plans.models import DevelopmentPlan
from nastavnik.programmes.models import ProgrammeStatus, RoadmapEvent

#: Weeks a pair may work without an individual development plan (the planning meeting is the
#: third one, seed 000 stage 6); `COMPLIANCE_PLAN_WEEKS` in the settings overrides it.
PLAN_WEEKS = 4
COMPLETED = (MentorshipStatus.COMPLETED, MentorshipStatus.COMPLETED_EARLY)


def plan_weeks() -> int:
    return int(getattr(settings, "COMPLIANCE_PLAN_WEEKS", PLAN_WEEKS))


def _url(scope: Scope, name: str, **kwargs: int) -> str:
    return reverse(name, kwargs={"org_slug": scope.organisation.slug, **kwargs})


def _hidden(scope: Scope, ref: str) -> ExpressionWrapper:
    """Whether the person at `ref` has their data hidden (processing consent withdrawn,
    depersonalised): such a person is listed without a name (152-ФЗ)."""
    return ExpressionWrapper(Q(hidden_q(scope.today, ref=ref)), output_field=BooleanField())


def _name(person: Person, hidden: bool, short: bool = False) -> str:
    if hidden:
        return _("(data hidden) № %(pk)s") % {"pk": person.pk}
    return person.short_name if short else person.full_name


def _pairs(scope: Scope) -> QuerySet[Mentorship]:
    """The organisation's pairs and groups with what their labels need, in two queries."""
    return (
        Mentorship.objects.for_org(scope.organisation)
        .select_related("mentor__person", "form")
        .annotate(mentor_hidden=_hidden(scope, "mentor__person"))
        .prefetch_related(
            Prefetch(
                "members",
                queryset=MentorshipMentee.objects.select_related("mentee__person")
                .annotate(hidden=_hidden(scope, "mentee__person"))
                .order_by("mentee__person__name_key", "pk"),
            )
        )
        .order_by("started_on", "pk")
    )


def _pair_label(mentorship: Mentorship) -> str:
    mentees = ", ".join(
        _name(m.mentee.person, m.hidden, short=True) for m in mentorship.members.all()
    )
    return f"{_name(mentorship.mentor.person, mentorship.mentor_hidden, short=True)} — {mentees}"


def _pair_row(scope: Scope, mentorship: Mentorship, detail: str, name: str = "") -> Row:
    return Row(
        _pair_label(mentorship),
        _url(scope, name or "mentorships:detail", mentorship_pk=mentorship.pk),
        detail,
    )


def _running(scope: Scope) -> QuerySet[Mentorship]:
    return _pairs(scope).filter(status=MentorshipStatus.ACTIVE)


# --- The pairs (seed 002 §2.6–2.8, §2.13) ---------------------------------------------------------


@check(
    "mentor_capacity",
    gettext_lazy("A mentor has more mentees at once than allowed"),
    gettext_lazy("Regulation, cl. 2.6"),
    gettext_lazy("At most two mentees at once, group mentors excepted: end or move a pair."),
)
def mentor_capacity(scope: Scope) -> Found:
    load = Count(
        "mentorships__members",
        filter=Q(mentorships__status=MentorshipStatus.ACTIVE, mentorships__members__active=True),
    )
    mentors = (
        Mentor.objects.for_org(scope.organisation)
        .exclude(programme__status=ProgrammeStatus.FINISHED)
        .annotate(load=load, hidden=_hidden(scope, "person"))
        .filter(Q(load__gt=F("capacity")) | Q(leads_group=False, load__gt=ONE_TO_ONE_LIMIT))
        .select_related("person")
        .order_by("person__name_key", "pk")
    )

    def row(mentor: Any) -> Row:
        return Row(
            _name(mentor.person, mentor.hidden),
            _url(scope, "mentors:detail", mentor_pk=mentor.pk),
            _("%(load)s mentees at once, at most %(limit)s")
            % {
                "load": mentor.load,
                "limit": mentor.capacity
                if mentor.leads_group
                else min(mentor.capacity, ONE_TO_ONE_LIMIT),
            },
        )

    return QueryRows(mentors, row)


@check(
    "pair_over_year",
    gettext_lazy("A pair or group works longer than one year"),
    gettext_lazy("Regulation, cl. 2.7"),
    gettext_lazy("Mentoring lasts at most one calendar year (plus extensions): complete it."),
)
def pair_over_year(scope: Scope) -> Found:
    pairs = _running(scope).annotate(latest=LatestEnd("started_on", "extension_days"))

    def row(pair: Any) -> Row:
        return _pair_row(
            scope,
            pair,
            _("started %(start)s, the year ended %(end)s")
            % {"start": f"{pair.started_on:%d.%m.%Y}", "end": f"{pair.latest:%d.%m.%Y}"},
        )

    return QueryRows(pairs.filter(latest__lt=scope.today), row)


@check(
    "pair_without_order",
    gettext_lazy("A pair or group is not fixed by a signed order"),
    gettext_lazy("Regulation, cl. 2.13 (stage 5); roadmap: the order fixing the mentoring pairs"),
    gettext_lazy("Prepare the order fixing the pairs and mark it signed."),
)
def pair_without_order(scope: Scope) -> Found:
    pairs = _running(scope).filter(
        Q(pairs_order__isnull=True) | ~Q(pairs_order__status=OrderStatus.SIGNED)
    )

    def row(pair: Mentorship) -> Row:
        detail = (
            _("the order № %(number)s is not signed") % {"number": pair.pairs_order.number}
            if pair.pairs_order
            else _("no order")
        )
        if pair.matching_run_id:
            href = _url(scope, "matching:run", matching_run_pk=pair.matching_run_id)
        else:
            href = _url(scope, "mentorships:detail", mentorship_pk=pair.pk)
        return Row(_pair_label(pair), href, detail)

    return QueryRows(pairs.select_related("pairs_order"), row)


@check(
    "replacement_without_order",
    gettext_lazy("A mentor was replaced without a signed order"),
    gettext_lazy("Regulation, cl. 2.8"),
    gettext_lazy("A mentor is replaced by an order of the director: sign it."),
)
def replacement_without_order(scope: Scope) -> Found:
    replacements = (
        MentorAssignment.objects.filter(organisation=scope.organisation)
        .exclude(ground="")
        .filter(Q(order__isnull=True) | ~Q(order__status=OrderStatus.SIGNED))
        .select_related("mentor__person", "mentorship", "order")
        .annotate(hidden=_hidden(scope, "mentor__person"))
        .order_by("assigned_on", "pk")
    )

    def row(item: Any) -> Row:
        return Row(
            _("%(mentor)s from %(day)s")
            % {
                "mentor": _name(item.mentor.person, item.hidden),
                "day": f"{item.assigned_on:%d.%m.%Y}",
            },
            _url(scope, "mentorships:detail", mentorship_pk=item.mentorship_id),
            _("the order № %(number)s is not signed") % {"number": item.order.number}
            if item.order
            else _("no order"),
        )

    return QueryRows(replacements, row)


# --- Consent and participation (seed 002 §2.5, §2.11; 152-ФЗ) -----------------------------------


@check(
    "minor_without_consent",
    gettext_lazy("A minor takes part without the guardian's consent"),
    gettext_lazy("Regulation, cl. 2.11; Federal Law 152-FZ, art. 9"),
    gettext_lazy("Record the legal guardian's consents, or take the child out of the base."),
)
def minor_without_consent(scope: Scope) -> Found:
    if scope.programme is None:
        return []
    adult_born = years_later(scope.today, -ADULT_AGE)
    lacking = Q()
    for purpose in consents_needed_for(Purpose.PARTICIPATION):
        lacking |= ~Q(valid_exists(purpose, scope.today, ref="person"))
    in_pair = Exists(
        MentorshipMentee.objects.filter(
            mentee=OuterRef("pk"), active=True, mentorship__status=MentorshipStatus.ACTIVE
        )
    )
    mentees = (
        Mentee.objects.filter(programme=scope.programme)
        .filter(status__in=(MenteeStatus.CANDIDATE, MenteeStatus.IN_BASE, MenteeStatus.PAIRED))
        .filter(person__birth_date__gt=adult_born)
        .filter(lacking)
        .annotate(in_pair=in_pair, hidden=_hidden(scope, "person"))
        .select_related("person")
        .order_by("person__name_key", "pk")
    )

    def row(mentee: Any) -> Row:
        return Row(
            _name(mentee.person, mentee.hidden),
            _url(scope, "consents:person", person_pk=mentee.person_id),
            _("in a pair") if mentee.in_pair else _("in the mentee base"),
        )

    return QueryRows(mentees, row)


@check(
    "withdrawn_in_pair",
    gettext_lazy("A participant withdrew from the programme but is still in a pair"),
    gettext_lazy("Regulation, cl. 2.5; Federal Law 152-FZ, art. 9"),
    gettext_lazy("Participation is voluntary: end the pair early or replace the mentor."),
)
def withdrawn_in_pair(scope: Scope) -> Found:
    member_withdrawn = Exists(
        MentorshipMentee.objects.filter(mentorship=OuterRef("pk"), active=True).filter(
            participation_withdrawn_q(scope.today, ref="mentee__person")
        )
    )
    pairs = (
        Mentorship.objects.for_org(scope.organisation)
        .filter(status=MentorshipStatus.ACTIVE)
        .filter(
            Q(participation_withdrawn_q(scope.today, ref="mentor__person")) | Q(member_withdrawn)
        )
        .select_related("form")
        .order_by("started_on", "pk")
    )

    # No names: the person withdrew, and the pair's number is enough to find it.
    def row(pair: Mentorship) -> Row:
        return Row(
            _("Pair № %(number)s (%(form)s)") % {"number": pair.pk, "form": pair.form.shown_name},
            _url(scope, "mentorships:detail", mentorship_pk=pair.pk),
            _("since %(day)s") % {"day": f"{pair.started_on:%d.%m.%Y}"},
        )

    return QueryRows(pairs, row)


# --- Mentors (seed 002 §2.13, §5.1) -------------------------------------------------------------


@check(
    "external_mentor_documents",
    gettext_lazy(
        "An external mentor has no valid certificate of no criminal record or medical document"
    ),
    gettext_lazy("Regulation, cl. 5.1"),
    gettext_lazy("Add the documents, or a new one in place of an expired one."),
)
def external_mentor_documents(scope: Scope) -> Found:
    if scope.programme is None:
        return []
    mentors = (
        Mentor.objects.filter(programme=scope.programme)
        .active()
        .filter(missing_documents_q(scope.today))
        .annotate(hidden=_hidden(scope, "person"))
        .select_related("person")
        .order_by("person__name_key", "pk")
    )

    def row(mentor: Any) -> Row:
        return Row(
            _name(mentor.person, mentor.hidden),
            _url(scope, "mentors:detail", mentor_pk=mentor.pk) + "#documents-heading",
            mentor.get_category_display(),
        )

    return QueryRows(mentors, row)


@check(
    "mentor_not_ready",
    gettext_lazy(
        "A mentor in a pair is not in the approved registry or has not finished the mentor school"
    ),
    gettext_lazy("Regulation, cl. 2.13, 5.1"),
    gettext_lazy("Approve the mentor in the registry by an order and complete the mentor school."),
)
def mentor_not_ready(scope: Scope) -> Found:
    if scope.programme is None:
        return []
    held = required_held(scope.programme.pk, scope.today)
    working = Exists(
        Mentorship.objects.filter(mentor=OuterRef("pk"), status=MentorshipStatus.ACTIVE)
    )
    mentors = (
        with_training(Mentor.objects.filter(programme=scope.programme), scope.today)
        .filter(working)
        .annotate(
            trained=ExpressionWrapper(Q(training_completed_q(held)), output_field=BooleanField())
        )
        .filter(~Q(status=MentorStatus.REGISTERED) | Q(trained=False))
        .annotate(hidden=_hidden(scope, "person"))
        .select_related("person")
        .order_by("person__name_key", "pk")
    )

    def row(mentor: Any) -> Row:
        problems = []
        if mentor.status != MentorStatus.REGISTERED:
            problems.append(
                _("not in the registry (%(status)s)") % {"status": mentor.get_status_display()}
            )
        if not mentor.trained:
            problems.append(_("the mentor school is not finished"))
        return Row(
            _name(mentor.person, mentor.hidden),
            _url(scope, "mentors:detail", mentor_pk=mentor.pk),
            "; ".join(problems),
        )

    return QueryRows(mentors, row)


@check(
    "commission_size",
    gettext_lazy("The selection commission has not 3 to 5 members"),
    gettext_lazy("Regulation, cl. 2.13"),
    gettext_lazy("The commission of 3–5 is headed by the director, the curator among them."),
)
def commission_size(scope: Scope) -> Found:
    programme = scope.programme
    if programme is None:
        return []
    size = CommissionMember.objects.filter(programme=programme).count()
    # Before anyone is put forward a commission is not yet needed.
    selecting = Mentor.objects.filter(programme=programme).exclude(status=MentorStatus.CANDIDATE)
    if COMMISSION_MIN <= size <= COMMISSION_MAX or (size == 0 and not selecting.exists()):
        return []
    return [
        Row(
            str(programme),
            _url(scope, "mentors:commission", programme_pk=programme.pk),
            _("%(size)s members") % {"size": size},
        )
    ]


# --- Monitoring and the roadmap (seed 002 §2.9, §7.2; seed 000 stages 6–7) -------------------


@check(
    "half_year_assessment",
    gettext_lazy("The half-year assessment was not taken by its deadline"),
    gettext_lazy("Regulation, cl. 7.2 (not later than 30 September and 30 March)"),
    gettext_lazy("Take the half-year snapshot of the indicators."),
)
def half_year_assessment(scope: Scope) -> Found:
    state = half_year_state(scope.organisation, scope.today)
    if state is None or state.missed is None or scope.programme is None:
        return []
    return [
        Row(
            _("Assessment due %(day)s") % {"day": f"{state.missed:%d.%m.%Y}"},
            _url(scope, "indicators:programme", programme_pk=scope.programme.pk),
            _("no snapshot"),
        )
    ]


@check(
    "roadmap_overdue",
    gettext_lazy("A roadmap event is overdue"),
    gettext_lazy("Regulation, cl. 2.9; the programme's roadmap"),
    gettext_lazy("Do the event and mark it done, or move its date by the director's decision."),
)
def roadmap_overdue(scope: Scope) -> Found:
    events = (
        RoadmapEvent.objects.for_org(scope.organisation)
        .overdue(scope.today)
        .select_related("programme")
        .order_by("due_on", "stage", "pk")
    )

    def row(event: RoadmapEvent) -> Row:
        return Row(
            event.shown_title,
            _url(scope, "programmes:roadmap", programme_pk=event.programme_id)
            + f"#event-{event.pk}",
            _("due %(day)s") % {"day": f"{event.due_on:%d.%m.%Y}"},
        )

    return QueryRows(events, row)


@check(
    "pair_without_plan",
    gettext_lazy("A pair works without an individual development plan"),
    gettext_lazy("Regulation, cl. 2.13 (stage 5), cl. 3.1; mentoring programme (000), stage 6"),
    gettext_lazy("Start the pair's plan from the typical plan of its form."),
)
def pair_without_plan(scope: Scope) -> Found:
    weeks = plan_weeks()
    started_before = scope.today - timedelta(weeks=weeks)
    with_items = DevelopmentPlan.objects.filter(mentorship=OuterRef("pk"), items__isnull=False)
    pairs = _running(scope).filter(started_on__lte=started_before).exclude(Exists(with_items))

    def row(pair: Mentorship) -> Row:
        return _pair_row(
            scope,
            pair,
            _("started %(day)s") % {"day": f"{pair.started_on:%d.%m.%Y}"},
            "plans:plan",
        )

    return QueryRows(pairs, row)


@check(
    "completed_without_results",
    gettext_lazy("A completed pair has no results recorded"),
    gettext_lazy("Regulation, cl. 2.15; mentoring programme (000), stage 7"),
    gettext_lazy("Record what the pair achieved and the final feedback."),
)
def completed_without_results(scope: Scope) -> Found:
    pairs = (
        _pairs(scope)
        .filter(status__in=COMPLETED)
        .exclude(programme__status=ProgrammeStatus.FINISHED)
        .select_related("result")
    )
    return [
        _pair_row(
            scope,
            pair,
            _("completed %(day)s") % {"day": f"{pair.ended_on:%d.%m.%Y}"} if pair.ended_on else "",
            "mentorships:results",
        )
        for pair in pairs
        if getattr(pair, "result", None) is None or pair.result.is_empty
    ]
