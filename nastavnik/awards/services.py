"""Writes of the awards of the year: nominations, their jury, nominees, scores, the decision on
the winners with the award documents it issues, and the awards order.

Each function is atomic and validated: bad input raises ValidationError and writes nothing.
Writes to one nomination queue on its row (`_locked`), so a decision never races a late score.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Max, QuerySet
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import audit_record, created
from nastavnik.awards.models import (
    JURY_MAX,
    JURY_MIN,
    PLACES,
    QUORUM,
    SCORE_MAX,
    SCORE_MIN,
    Award,
    AwardKind,
    Juror,
    JuryScore,
    Nomination,
    NominationStatus,
    Nominee,
    NomineeKind,
    TieDecision,
)
from nastavnik.consents.rules import hidden_accounts_q, hidden_q
from nastavnik.core import events
from nastavnik.core.rules import rule_errors
from nastavnik.core.text import fold
from nastavnik.mentors.models import INACTIVE_STATUSES, Mentor
from nastavnik.mentorships.models import Mentorship
from nastavnik.orders.kinds import OrderKind
from nastavnik.orders.models import Order, OrderStatus
from nastavnik.orders.services import OrderDetails, order_draft
from nastavnik.orgs.models import Membership
from nastavnik.orgs.policy import Perm, allows
from nastavnik.people.models import GuardianLink, Person, PersonKind
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import Programme

logger = logging.getLogger(__name__)

MESSAGES = {
    "name_required": _("Enter the name of the nomination."),
    "name_too_long": _("The name is too long: at most %(max)s characters."),
    "name_taken": _("The programme already has the nomination «%(name)s»."),
    "kind_required": _("Choose who is nominated."),
    "decided": _("The winners of this nomination are chosen: it can no longer be changed."),
    "jury_size": _("A jury has %(min)s to %(max)s members; %(count)s are chosen."),
    "jury_user": _("%(name)s may not be a juror: the account has no right to score nominees."),
    "jury_scored": _("%(name)s has scored nominees already and stays in the jury."),
    "nominee_required": _("Choose the nominee."),
    "nominee_kind": _("This nomination is for %(kind)s."),
    "nominee_outside": _(
        "The nominee must be a mentor, a pair or a person of this organisation's programme."
    ),
    "nominee_inactive": _("%(name)s has left the programme or was not approved as a mentor."),
    "nominee_hidden": _(
        "%(name)s withdrew the consent to the processing of personal data and cannot be nominated."
    ),
    "nominee_twice": _("%(name)s is already a nominee of this nomination."),
    "score_range": _("A score is a whole number from %(min)s to %(max)s."),
    "not_juror": _("Only a member of the nomination's jury scores its nominees."),
    "own_nomination": _("A juror does not score a nomination of their own."),
    "place_range": _("A nomination has 1, 2 or 3 places."),
    "no_scores": _("The jury has not scored any nominee yet: winners are chosen from the scores."),
    "quorum": _("No nominee is scored by at least %(min)s jurors yet: a place needs them."),
    "tie": _(
        "Two or more nominees share the first place by the jury's scores: %(names)s. Decide the "
        "tie: they share the first place, or the first place goes to one of them."
    ),
    "tie_choice": _("The first place can go only to one of the nominees who share it."),
    "order_pending": _(
        "The draft awards order № %(number)s is waiting to be signed: sign or delete it first."
    ),
    "no_winners": _("No nomination of the programme has winners yet: there is nobody to award."),
}


_error = rule_errors(MESSAGES)


def _text(value: Any) -> str:
    return str(value or "").strip()


def _locked(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=nomination.pk)
    )


def _locked_open(nomination: Nomination) -> Nomination:
    locked = _locked(nomination)
    if locked.is_decided:
        raise _error("decided")
    return locked


def _user_name(user: User) -> str:
    return user.get_full_name() or user.email


# --- Nominations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Builtin:
    code: str
    name: str
    kind: NomineeKind
    description: str


#: The nominations of seed 000 §6 («Механизмы мотивации и поощрения наставников»). The names are
#: those of the seed, in Russian whatever the interface language: they are printed on diplomas.
BUILTINS: tuple[Builtin, ...] = (
    Builtin(
        "mentor_of_the_year",
        "Наставник года",
        NomineeKind.MENTOR,
        "Конкурс профессионального мастерства среди наставников программы.",
    ),
    Builtin(
        "best_pair",
        "Лучшая пара",
        NomineeKind.MENTORSHIP,
        "Наставническая пара или группа, добившаяся лучших результатов за год.",
    ),
    Builtin(
        "mentor_plus",
        "Наставник+",
        NomineeKind.PERSON,
        "Участники, внёсшие особый вклад в наставничество: наставляемые, ставшие наставниками, "
        "родители, представители организаций-партнёров.",
    ),
)


@transaction.atomic
def builtin_nominations_create(programme: Programme, *, by: User | None) -> list[Nomination]:
    """The three nominations of the regulation the programme does not have yet."""
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    have = set(Nomination.objects.filter(programme=programme).values_list("code", "name"))
    codes, names = {code for code, _n in have}, {name for _c, name in have}
    made = [
        Nomination.objects.create(
            organisation_id=programme.organisation_id,
            programme=programme,
            name=builtin.name,
            code=builtin.code,
            description=builtin.description,
            nominee_kind=builtin.kind,
        )
        for builtin in BUILTINS
        if builtin.code not in codes and builtin.name not in names
    ]
    logger.info(
        "%s built-in nominations created in programme %s by %s", len(made), programme.pk, by
    )
    return made


@transaction.atomic
def nomination_create(
    programme: Programme, data: Mapping[str, Any], *, by: User | None
) -> Nomination:
    """The organisation's own nomination («Открытие года», «Верность профессии»…)."""
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    errors: dict[str, list[ValidationError]] = {}
    name = " ".join(_text(data.get("name")).split())
    limit = Nomination._meta.get_field("name").max_length
    # The model's CharField sets it.
    assert limit is not None
    if not name:
        errors["name"] = [_error("name_required")]
    elif len(name) > limit:
        errors["name"] = [_error("name_too_long", max=limit)]
    elif fold(name) in {
        # Compared in Python: SQLite folds the case of Latin letters only.
        fold(other)
        for other in Nomination.objects.filter(programme=programme).values_list("name", flat=True)
    }:
        errors["name"] = [_error("name_taken", name=name)]
    kind = data.get("nominee_kind")
    if kind not in NomineeKind.values:
        errors["nominee_kind"] = [_error("kind_required")]
    if errors:
        raise ValidationError(errors)
    nomination = Nomination.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        name=name,
        description=_text(data.get("description")),
        nominee_kind=kind,
    )
    logger.info("nomination %s created in programme %s by %s", nomination.pk, programme.pk, by)
    return nomination


@transaction.atomic
def nomination_delete(nomination: Nomination, *, by: User | None) -> None:
    """A nomination goes, with its nominees and scores, while no winner is chosen."""
    locked = _locked_open(nomination)
    locked.delete()
    logger.info("nomination %s deleted by %s", nomination.pk, by)


def jury_candidates(organisation_id: int) -> QuerySet[User]:
    """Accounts of the organisation whose roles allow scoring nominees."""
    roles = [
        role
        for role in Membership.objects.filter(organisation_id=organisation_id)
        .values_list("role", flat=True)
        .distinct()
        if allows([role], Perm.AWARDS_SCORE)
    ]
    return (
        User.objects.filter(
            memberships__organisation_id=organisation_id, memberships__role__in=roles
        )
        # Not the account of someone whose data are hidden after a withdrawn consent.
        .exclude(hidden_accounts_q(organisation_id))
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


@transaction.atomic
def jury_set(nomination: Nomination, users: Iterable[User], *, by: User | None) -> list[Juror]:
    """The nomination's jury: 3–9 accounts of the organisation that may score. A juror who
    has scored stays."""
    locked = _locked_open(nomination)
    chosen = list({user.pk: user for user in users}.values())
    allowed = set(jury_candidates(locked.organisation_id).values_list("pk", flat=True))
    errors: list[ValidationError] = []
    if not JURY_MIN <= len(chosen) <= JURY_MAX:
        errors.append(_error("jury_size", min=JURY_MIN, max=JURY_MAX, count=len(chosen)))
    errors.extend(
        _error("jury_user", name=_user_name(user)) for user in chosen if user.pk not in allowed
    )
    keep = {user.pk for user in chosen}
    current = list(Juror.objects.filter(nomination=locked).select_related("user"))
    leaving = [juror for juror in current if juror.user_id not in keep]
    scored = set(
        JuryScore.objects.filter(juror__in=leaving).values_list("juror_id", flat=True).distinct()
    )
    errors.extend(
        _error("jury_scored", name=_user_name(juror.user))
        for juror in leaving
        if juror.pk in scored
    )
    if errors:
        raise ValidationError(errors)
    Juror.objects.filter(pk__in=[juror.pk for juror in leaving]).delete()
    present = {juror.user_id for juror in current}
    Juror.objects.bulk_create(
        Juror(organisation_id=locked.organisation_id, nomination=locked, user=user)
        for user in chosen
        if user.pk not in present
    )
    logger.info("jury of nomination %s set (%s) by %s", locked.pk, len(chosen), by)
    return list(Juror.objects.filter(nomination=locked).select_related("user"))


# --- Nominees ------------------------------------------------------------------------------------


def nominee_people(nominee: Nominee) -> list[Person]:
    """Who a nominee is, in people: the mentor; the mentor and the mentees of a pair; the
    person."""
    # A set id loads its row (or raises DoesNotExist): never None below.
    if nominee.mentor_id:
        mentor = nominee.mentor
        assert mentor is not None
        return [mentor.person]
    if nominee.mentorship_id:
        mentorship = nominee.mentorship
        assert mentorship is not None
        return [mentorship.mentor.person, *(m.mentee.person for m in mentorship.members.all())]
    return [nominee.person]


def _target(
    nomination: Nomination,
    mentor: Mentor | None,
    mentorship: Mentorship | None,
    person: Person | None,
) -> tuple[str, Any]:
    """The one nominee given, checked against the nomination's kind and organisation."""
    given = [
        (kind, row)
        for kind, row in (
            (NomineeKind.MENTOR, mentor),
            (NomineeKind.MENTORSHIP, mentorship),
            (NomineeKind.PERSON, person),
        )
        if row is not None
    ]
    if len(given) != 1:
        raise _error("nominee_required", "nominee")
    kind, row = given[0]
    # Checked before the kind, so a row of another organisation is refused with the same words
    # whatever it is: the answer reveals nothing about it.
    if row.organisation_id != nomination.organisation_id:
        raise _error("nominee_outside", "nominee")
    if kind != nomination.nominee_kind:
        raise _error("nominee_kind", "nominee", kind=NomineeKind(nomination.nominee_kind).label)
    if kind != NomineeKind.PERSON and row.programme_id != nomination.programme_id:
        raise _error("nominee_outside", "nominee")
    if kind == NomineeKind.MENTOR and row.status in INACTIVE_STATUSES:
        raise _error("nominee_inactive", "nominee", name=row.person.full_name)
    return kind, row


@transaction.atomic
def nominee_add(
    nomination: Nomination,
    *,
    mentor: Mentor | None = None,
    mentorship: Mentorship | None = None,
    person: Person | None = None,
    merits: str = "",
    by: User | None,
) -> Nominee:
    """Put a mentor, a pair or group, or a person forward in the nomination, with the merits
    («за что») the jury reads."""
    locked = _locked_open(nomination)
    kind, row = _target(locked, mentor, mentorship, person)
    nominee = Nominee(
        organisation_id=locked.organisation_id,
        nomination=locked,
        merits=_text(merits),
        **{str(kind): row},
    )
    people = nominee_people(nominee)
    hidden = Person.objects.filter(pk__in=[p.pk for p in people]).filter(hidden_q()).first()
    if hidden is not None:
        raise _error("nominee_hidden", "nominee", name=hidden.full_name)
    if Nominee.objects.filter(nomination=locked, **{str(kind): row}).exists():
        raise _error("nominee_twice", "nominee", name=str(nominee))
    nominee.save()
    audit_record(
        locked.organisation_id,
        action=AuditAction.CREATE,
        object_type=AuditObject.NOMINEE,
        object_id=nominee.pk,
        label=f"{locked.name}: {nominee}",
        by=by,
        changes=created({"nomination": locked.name, "merits": nominee.merits}),
        person=people[0],
    )
    logger.info("nominee %s added to nomination %s by %s", nominee.pk, locked.pk, by)
    return nominee


@transaction.atomic
def nominee_remove(nominee: Nominee, *, by: User | None) -> None:
    locked = _locked_open(nominee.nomination)
    label = f"{locked.name}: {nominee}"
    person = nominee_people(nominee)[0]
    pk = nominee.pk
    Nominee.objects.filter(pk=pk, nomination=locked).delete()
    audit_record(
        locked.organisation_id,
        action=AuditAction.DELETE,
        object_type=AuditObject.NOMINEE,
        object_id=pk,
        label=label,
        by=by,
        person=person,
    )


# --- Scores --------------------------------------------------------------------------------------


def juror_of(nomination: Nomination, user: User) -> Juror | None:
    if not user.is_authenticated:
        return None
    return Juror.objects.filter(nomination=nomination, user=user).first()


def _clean_score(value: Any) -> int:
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        number = None
    if isinstance(value, bool) or number is None or not SCORE_MIN <= number <= SCORE_MAX:
        raise _error("score_range", "score", min=SCORE_MIN, max=SCORE_MAX)
    return number


@transaction.atomic
def score_save(
    nominee: Nominee, user: User, score: Any, comment: str = "", *, by: User | None
) -> JuryScore:
    """A juror's score of a nominee, 1–10, with a comment; scoring again corrects it, until
    the winners are chosen."""
    locked = _locked_open(nominee.nomination)
    juror = juror_of(locked, user)
    if juror is None:
        raise _error("not_juror")
    if any(person.user_id == user.pk for person in nominee_people(nominee)):
        raise _error("own_nomination")
    value = _clean_score(score)
    comment = _text(comment)
    existing = JuryScore.objects.filter(nominee=nominee, juror=juror).first()
    if existing is None:
        saved = JuryScore.objects.create(
            organisation_id=locked.organisation_id,
            nominee=nominee,
            juror=juror,
            score=value,
            comment=comment,
        )
        action = AuditAction.CREATE
    else:
        existing.score, existing.comment = value, comment
        existing.save(update_fields=["score", "comment", "updated_at"])
        saved = existing
        action = AuditAction.UPDATE
    # Scoring is blind: the log says who scored whom and when, never the score or the comment
    # (the log is read by those who choose the winners, and it outlives the decision).
    audit_record(
        locked.organisation_id,
        action=action,
        object_type=AuditObject.JURY_SCORE,
        object_id=saved.pk,
        label=f"{locked.name}: {nominee}",
        by=by,
        person=nominee_people(nominee)[0],
    )
    return saved


# --- Results and the decision --------------------------------------------------------------------


@dataclass
class Result:
    nominee: Nominee
    mean: float | None
    count: int
    rank: int | None


def results(nomination: Nomination, nominees: Sequence[Nominee] | None = None) -> list[Result]:
    """Nominees by their mean score, best first; equal means share a rank («1, 1, 3»)."""
    rows = list(nominees) if nominees is not None else list(nomination.nominees.all())
    stats = {
        row["nominee"]: row
        for row in JuryScore.objects.filter(nominee__nomination=nomination)
        .values("nominee")
        .annotate(mean=Avg("score"), count=Count("pk"))
    }
    made = [
        Result(
            nominee=n,
            mean=round(stats[n.pk]["mean"], 2) if n.pk in stats else None,
            count=stats[n.pk]["count"] if n.pk in stats else 0,
            rank=None,
        )
        for n in rows
    ]
    made.sort(key=lambda r: (r.mean is None, -(r.mean or 0), r.nominee.pk))
    previous: float | None = None
    for position, result in enumerate(made, start=1):
        if result.mean is None:
            break
        result.rank = made[position - 2].rank if result.mean == previous else position
        previous = result.mean
    return made


def _award(nominee: Nominee, kind: AwardKind, recipient: Person, **extra: Any) -> Award:
    return Award(
        organisation_id=nominee.organisation_id,
        programme_id=nominee.nomination.programme_id,
        nominee=nominee,
        kind=kind,
        recipient=recipient,
        **extra,
    )


def _mentor_people(nominee: Nominee) -> list[Person]:
    """The mentors a nominee stands for, who get a letter of thanks."""
    # A set id loads its row (or raises DoesNotExist): never None below.
    if nominee.mentor_id:
        mentor = nominee.mentor
        assert mentor is not None
        return [mentor.person]
    if nominee.mentorship_id:
        mentorship = nominee.mentorship
        assert mentorship is not None
        return [mentorship.mentor.person]
    is_mentor = Mentor.objects.filter(
        programme_id=nominee.nomination.programme_id, person=nominee.person
    ).exists()
    return [nominee.person] if is_mentor else []


def _issue_awards(nomination: Nomination, nominees: list[Nominee], day: date) -> list[Award]:
    """The documents of a decided nomination: a diploma to every person of a placed nominee, a
    participant's certificate to every other, a letter of thanks to each mentor (one a
    programme), and one to each parent of a student mentor (seed 002 §8.1)."""
    programme_id = nomination.programme_id
    hidden = set(
        Person.objects.filter(organisation_id=nomination.organisation_id)
        .filter(hidden_q())
        .values_list("pk", flat=True)
    )
    # (kind, recipient, child): the child is set on a parent's letter only.
    thanked: set[tuple[str, int, int | None]] = set(
        Award.objects.filter(
            programme_id=programme_id, kind__in=(AwardKind.THANKS, AwardKind.PARENT_THANKS)
        ).values_list("kind", "recipient_id", "child_id")
    )
    made: list[Award] = []
    for nominee in nominees:
        kind = AwardKind.DIPLOMA if nominee.place else AwardKind.CERTIFICATE
        made.extend(
            _award(nominee, kind, person)
            for person in nominee_people(nominee)
            if person.pk not in hidden
        )
        for mentor in _mentor_people(nominee):
            if mentor.pk in hidden:
                continue
            if (AwardKind.THANKS, mentor.pk, None) not in thanked:
                thanked.add((AwardKind.THANKS, mentor.pk, None))
                made.append(_award(nominee, AwardKind.THANKS, mentor))
            if mentor.kind != PersonKind.STUDENT:
                continue
            for link in GuardianLink.objects.filter(child=mentor).select_related("guardian"):
                key = (AwardKind.PARENT_THANKS, link.guardian_id, mentor.pk)
                if key in thanked or link.guardian_id in hidden:
                    continue
                thanked.add(key)
                made.append(_award(nominee, AwardKind.PARENT_THANKS, link.guardian, child=mentor))
    last = Award.objects.filter(programme_id=programme_id).aggregate(n=Max("number"))["n"] or 0
    for number, award in enumerate(made, start=last + 1):
        award.number, award.issued_on = number, day
    return Award.objects.bulk_create(made)


def _with_people(nominees: QuerySet[Nominee]) -> QuerySet[Nominee]:
    return nominees.select_related(
        "mentor__person", "mentorship__mentor__person", "person", "nomination"
    ).prefetch_related("mentorship__members__mentee__person")


@dataclass
class JurorProgress:
    juror: Juror
    scored: int
    finished: bool


@dataclass
class NomineeProgress:
    nominee: Nominee
    scores: int
    enough: bool


def jury_progress(nomination: Nomination, nominees: Sequence[Nominee]) -> list[JurorProgress]:
    """Whether each juror has scored every nominee they may score: counts, never values."""
    counts = dict(
        JuryScore.objects.filter(nominee__nomination=nomination)
        .values("juror")
        .annotate(n=Count("pk"))
        .values_list("juror", "n")
    )
    made = []
    for juror in nomination.jury.select_related("user"):
        own = sum(1 for n in nominees if any(p.user_id == juror.user_id for p in nominee_people(n)))
        scored = counts.get(juror.pk, 0)
        made.append(JurorProgress(juror, scored, scored >= len(nominees) - own and bool(nominees)))
    return made


def nominee_progress(nomination: Nomination, nominees: Sequence[Nominee]) -> list[NomineeProgress]:
    """How many jurors scored each nominee, against the quorum a place needs."""
    counts = dict(
        JuryScore.objects.filter(nominee__nomination=nomination)
        .values("nominee")
        .annotate(n=Count("pk"))
        .values_list("nominee", "n")
    )
    return [
        NomineeProgress(n, counts.get(n.pk, 0), counts.get(n.pk, 0) >= QUORUM) for n in nominees
    ]


def _eligible_groups(nomination: Nomination) -> list[list[Nominee]]:
    """The nominees scored by the quorum, grouped by equal mean score, best group first."""
    groups: list[list[Nominee]] = []
    previous: float | None = None
    for result in results(nomination):
        if result.mean is None or result.count < QUORUM:
            continue
        if groups and result.mean == previous:
            groups[-1].append(result.nominee)
        else:
            groups.append([result.nominee])
        previous = result.mean
    return groups


def tied_first(nomination: Nomination) -> list[Nominee]:
    """The nominees who share the best mean score, when more than one does: the only thing
    those who decide learn of the ranking before the decision — names, never scores."""
    groups = _eligible_groups(nomination)
    return groups[0] if groups and len(groups[0]) > 1 else []


def _places(groups: list[list[Nominee]], prizes: int) -> dict[int, int]:
    """Places by group, as sports count them: two firsts, then a third («1, 1, 3»)."""
    places: dict[int, int] = {}
    place = 1
    for group in groups:
        if place > prizes:
            break
        places.update({n.pk: place for n in group})
        place += len(group)
    return places


def _break_tie(groups: list[list[Nominee]], tie: str) -> tuple[list[list[Nominee]], str]:
    top = groups[0]
    if len(top) < 2:
        return groups, ""
    if tie == TieDecision.SHARED:
        return groups, TieDecision.SHARED
    chosen = next((n for n in top if str(n.pk) == str(tie)), None)
    if tie and chosen is None:
        raise _error("tie_choice")
    if chosen is None:
        raise _error("tie", names="; ".join(str(n) for n in top))
    rest = [n for n in top if n.pk != chosen.pk]
    return [[chosen], rest, *groups[1:]], TieDecision.CHOSEN


@transaction.atomic
def nomination_decide(
    nomination: Nomination, *, prizes: int = 1, tie: str = "", by: User | None
) -> Nomination:
    """The curator or the director closes the scoring: the places (1, 2 or 3 of them, as
    `prizes` says) go by the jury's mean scores to the nominees scored by at least three
    jurors. Nobody sees the scores before, so nobody places by hand; when several nominees
    share the best mean the one deciding must say how the tie goes (`tie`: "shared", or the
    pk of the nominee who takes the first place). The nomination is closed and its diplomas,
    certificates and letters of thanks are issued."""
    locked = _locked_open(nomination)
    # Programme row first, then the awards' numbers: two decisions at once number in turn.
    Programme.objects.select_for_update().filter(pk=locked.programme_id).first()
    nominees = {n.pk: n for n in _with_people(Nominee.objects.filter(nomination=locked))}
    if not JuryScore.objects.filter(nominee__nomination=locked).exists():
        raise _error("no_scores")
    if isinstance(prizes, bool) or prizes not in PLACES:
        raise _error("place_range")
    groups = _eligible_groups(locked)
    if not groups:
        raise _error("quorum", min=QUORUM)
    groups, decision = _break_tie(groups, tie)
    day = org_today(locked.programme.organisation)
    for pk, place in _places(groups, prizes).items():
        nominee = nominees[pk]
        nominee.place = place
        nominee.save(update_fields=["place"])
        audit_record(
            locked.organisation_id,
            action=AuditAction.UPDATE,
            object_type=AuditObject.NOMINEE,
            object_id=pk,
            label=f"{locked.name}: {nominee}",
            by=by,
            changes={"place": [None, place]},
            person=nominee_people(nominee)[0],
        )
    locked.status, locked.decided_on, locked.decided_by = NominationStatus.DECIDED, day, by
    locked.tie_decision = decision
    locked.save(update_fields=["status", "decided_on", "decided_by", "tie_decision"])
    issued = _issue_awards(locked, list(nominees.values()), day)
    logger.info(
        "nomination %s decided by %s: %s places, tie %r, %s documents",
        locked.pk,
        by,
        prizes,
        decision,
        len(issued),
    )
    nomination.status, nomination.decided_on = locked.status, locked.decided_on
    nomination.tie_decision = decision
    events.emit("award.decided", nomination=locked, by=by)
    return locked


# --- The awards order ----------------------------------------------------------------------------


def awards_orders(programme: Programme) -> QuerySet[Order]:
    return Order.objects.filter(
        organisation_id=programme.organisation_id, kind=OrderKind.AWARDS
    ).about(programme)


def awards_title(programme: Programme) -> str:
    return (
        "О награждении по итогам реализации программы наставничества "
        f"в {programme.academic_year.label} учебном году"
    )


@transaction.atomic
def awards_order_create(programme: Programme, details: OrderDetails, *, by: User | None) -> Order:
    """The draft order «О награждении…» listing the winners of every decided nomination; the
    director signs it in the orders register."""
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    pending = awards_orders(programme).filter(status=OrderStatus.DRAFT).first()
    if pending is not None:
        raise _error("order_pending", number=pending.number)
    decided = list(
        Nomination.objects.filter(
            programme=programme,
            status=NominationStatus.DECIDED,
            nominees__place__isnull=False,
        ).distinct()
    )
    if not decided:
        raise _error("no_winners")
    return order_draft(
        programme.organisation,
        OrderKind.AWARDS,
        details,
        title=awards_title(programme),
        subjects=[programme, *decided],
        by=by,
    )
