"""Writes to individual development plans.

Each function is atomic and validated: bad data raise ValidationError and write nothing. The
plan's row is locked while its items change, so two people editing at once queue on it.
Who may write is decided by the view (`mentorships.access.workable` and `side_of`); what is
written is decided here, the same for the mentor, the mentee and the curator.
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import audit_record, created, diff
from nastavnik.core import events
from nastavnik.core.rules import rule_errors
from nastavnik.core.uploads import checked_scan, delete_after_commit, store_scan
from nastavnik.mentorships.access import Side
from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.suspension import is_suspended
from nastavnik.people.models import Person
from nastavnik.people.validators import org_today
from nastavnik.plans.models import (
    DevelopmentPlan,
    PlanComment,
    PlanItem,
    PlanItemStatus,
    ResponsibleSide,
)
from nastavnik.programmes.models import PlanSection, TypicalPlanItem

logger = logging.getLogger(__name__)

TEXT_MAX_LENGTH = 2000
CONTACT_MAX_LENGTH = 300

MESSAGES = {
    "pair_suspended": _(
        "The participation of this pair or group is suspended: the consent to participation was "
        "withdrawn. The curator ends it by an early completion."
    ),
    "pair_closed": _(
        "The work of this pair is over: its plan is kept as it was and can no longer be changed."
    ),
    "plan_exists": _("The pair already has a development plan."),
    "text_required": _("Write what the item is about."),
    "too_long": _("Keep it within %(max)s characters."),
    "section": _("Choose whether the item is a goal, a task or an activity."),
    "responsible": _("Choose who is responsible for the item."),
    "status": _("Choose the status of the item."),
    "due_outside": _("The due date must fall within the pair's term: from %(start)s to %(end)s."),
    "result_required": _("An item marked done needs its result: write what came of it."),
    "reason_required": _("Write in the result why the item is dropped."),
    "link": _("Give the link as a full web address starting with http:// or https://."),
    "comment_required": _("Write the comment."),
    "curator_only": _("Only the curator comments on a plan and shares the mentor's contacts."),
    "item_elsewhere": _("This item belongs to another plan."),
}


_error = rule_errors(MESSAGES)


def _text(value: Any) -> str:
    return str(value or "").strip()


def _require_active(mentorship: Mentorship) -> None:
    if not mentorship.is_active:
        raise _error("pair_closed")
    if is_suspended(mentorship):
        raise _error("pair_suspended")


def _lock_plan(plan: DevelopmentPlan) -> DevelopmentPlan:
    return DevelopmentPlan.objects.select_for_update().select_related("mentorship").get(pk=plan.pk)


def subject_of(mentorship: Mentorship) -> Person | None:
    """The mentee whose data a pair's plan holds (for the audit log); a group has several, so
    none is named."""
    if mentorship.is_group:
        return None
    member = mentorship.members.filter(active=True).select_related("mentee__person").first()
    return member.mentee.person if member else None


def _audit(item: PlanItem, action: AuditAction, changes: dict[str, Any], by: User | None) -> None:
    mentorship = item.plan.mentorship
    audit_record(
        item.organisation_id,
        action=action,
        object_type=AuditObject.PLAN_ITEM,
        object_id=item.pk,
        label=item.text[:300],
        by=by,
        changes=changes,
        person=subject_of(mentorship),
        related_person=mentorship.mentor.person,
    )


# --- Starting from the typical plan ---------------------------------------------------------

_MONTHS = (
    (r"январ", 1),
    (r"феврал", 2),
    (r"март", 3),
    (r"апрел", 4),
    (r"\bма[йяею]\b", 5),
    (r"июн", 6),
    (r"июл", 7),
    (r"август", 8),
    (r"сентябр", 9),
    (r"октябр", 10),
    (r"ноябр", 11),
    (r"декабр", 12),
)
# «еженедельно», «в течение года»: a standing activity is reviewed at the end of the term.
_STANDING = re.compile(r"еже|в течение|постоянно|регулярно|весь", re.IGNORECASE)


def last_month_named(timing: str) -> int | None:
    """The month a typical plan's «when» ends with: «февраль – апрель» → 4; none → None."""
    found = [
        (match.start(), month)
        for pattern, month in _MONTHS
        for match in re.finditer(pattern, timing.lower())
    ]
    return max(found)[1] if found else None


def _month_end_on_or_after(month: int, start: date) -> date:
    year = start.year if month >= start.month else start.year + 1
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Term:
    start: date
    end: date

    def clamp(self, day: date) -> date:
        return min(max(day, self.start), self.end)


def spread_due_dates(lines: Sequence[TypicalPlanItem], term: Term) -> list[date]:
    """A due date for each line of a typical plan within the term: the end of the last month
    its «when» names; the end of the term for goals and standing activities; the rest spread
    evenly across the term in their order."""
    dates: list[date | None] = []
    for line in lines:
        month = last_month_named(line.timing)
        if month is not None:
            dates.append(term.clamp(_month_end_on_or_after(month, term.start)))
        elif line.section == PlanSection.GOAL or _STANDING.search(line.timing):
            dates.append(term.end)
        else:
            dates.append(None)
    undated = [index for index, day in enumerate(dates) if day is None]
    days = (term.end - term.start).days
    for order, index in enumerate(undated, start=1):
        dates[index] = term.start + timedelta(days=days * order // (len(undated) + 1))
    return [day for day in dates if day is not None]


def typical_lines(mentorship: Mentorship) -> list[TypicalPlanItem]:
    """The typical plan of the pair's form in the pair's programme."""
    return list(
        TypicalPlanItem.objects.filter(
            organisation_id=mentorship.organisation_id,
            programme_form__programme_id=mentorship.programme_id,
            programme_form__form_id=mentorship.form_id,
        ).order_by("position", "pk")
    )


def planning_term(mentorship: Mentorship, today: date) -> Term:
    """From today (or the start, if later) to the planned end: a plan drawn up in November
    does not start with items overdue since October."""
    start = max(mentorship.started_on, today)
    if start >= mentorship.planned_end:
        start = mentorship.started_on
    return Term(start, mentorship.planned_end)


@transaction.atomic
def plan_start(
    mentorship: Mentorship,
    *,
    from_typical: bool = True,
    by: User | None,
    on: date | None = None,
) -> DevelopmentPlan:
    """The pair's plan, with the lines of the typical plan of its form when `from_typical`,
    dated as if drawn up `on` (today by default)."""
    locked = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    _require_active(locked)
    if DevelopmentPlan.objects.filter(mentorship=locked).exists():
        raise _error("plan_exists")
    plan = DevelopmentPlan.objects.create(
        organisation_id=locked.organisation_id, mentorship=locked, created_by=by
    )
    lines = typical_lines(locked) if from_typical else []
    term = planning_term(locked, on or org_today(locked.organisation))
    items = PlanItem.objects.bulk_create(
        PlanItem(
            organisation_id=locked.organisation_id,
            plan=plan,
            section=line.section,
            text=line.text,
            due_on=due_on,
            responsible=ResponsibleSide.BOTH,
            position=position,
            created_by=by,
            updated_by=by,
        )
        for position, (line, due_on) in enumerate(
            zip(lines, spread_due_dates(lines, term), strict=True)
        )
    )
    for item in items:
        item.plan = plan
        _audit(item, AuditAction.CREATE, created(_audited(item)), by)
    logger.info("plan of mentorship %s started (%s items) by %s", locked.pk, len(items), by)
    return plan


# --- Items ------------------------------------------------------------------------------------

ITEM_FIELDS = ("section", "text", "due_on", "responsible", "status", "result", "evidence_link")


def item_values(item: PlanItem) -> dict[str, Any]:
    """An item's values as `item_create` and `item_update` take them (the evidence file
    aside): an edit starts from them."""
    return {field: getattr(item, field) for field in ITEM_FIELDS}


def _audited(item: PlanItem) -> dict[str, Any]:
    return {**item_values(item), "evidence": item.evidence.name or ""}


def _check_link(link: str, errors: dict[str, list[ValidationError]]) -> None:
    if not link:
        return
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        errors.setdefault("evidence_link", []).append(
            ValidationError(MESSAGES["link"], code="link")
        )
    else:
        if len(link) > 500:
            errors.setdefault("evidence_link", []).append(
                ValidationError(MESSAGES["too_long"], code="too_long", params={"max": 500})
            )


def clean_item(
    mentorship: Mentorship, data: Mapping[str, Any]
) -> tuple[dict[str, Any], tuple[Any, Any] | None]:
    """The item's values as stored, and the checked evidence upload if one came."""
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, key: str, **params: Any) -> None:
        errors.setdefault(field, []).append(
            ValidationError(MESSAGES[key], code=key, params=params or None)
        )

    section = data.get("section") or PlanSection.ACTIVITY
    if section not in PlanSection.values:
        add("section", "section")
    text = _text(data.get("text"))
    if not text:
        add("text", "text_required")
    elif len(text) > TEXT_MAX_LENGTH:
        add("text", "too_long", max=TEXT_MAX_LENGTH)
    responsible = data.get("responsible") or ResponsibleSide.BOTH
    if responsible not in ResponsibleSide.values:
        add("responsible", "responsible")
    status = data.get("status") or PlanItemStatus.PLANNED
    if status not in PlanItemStatus.values:
        add("status", "status")
    due_on = data.get("due_on") or None
    if due_on is not None and not (mentorship.started_on <= due_on <= mentorship.planned_end):
        add(
            "due_on",
            "due_outside",
            start=mentorship.started_on.strftime("%d.%m.%Y"),
            end=mentorship.planned_end.strftime("%d.%m.%Y"),
        )
    result = _text(data.get("result"))
    if len(result) > TEXT_MAX_LENGTH:
        add("result", "too_long", max=TEXT_MAX_LENGTH)
    elif status == PlanItemStatus.DONE and not result:
        add("result", "result_required")
    elif status == PlanItemStatus.DROPPED and not result:
        add("result", "reason_required")
    link = _text(data.get("evidence_link"))
    _check_link(link, errors)
    upload = checked_scan(data.get("evidence"), "evidence", errors)
    if errors:
        raise ValidationError(errors)
    clean = {
        "section": section,
        "text": text,
        "due_on": due_on,
        "responsible": responsible,
        "status": status,
        "result": result,
        "evidence_link": link,
    }
    return clean, upload


@transaction.atomic
def item_create(plan: DevelopmentPlan, data: Mapping[str, Any], *, by: User | None) -> PlanItem:
    locked = _lock_plan(plan)
    _require_active(locked.mentorship)
    clean, upload = clean_item(locked.mentorship, data)
    last = locked.items.order_by("-position").values_list("position", flat=True).first()
    item = PlanItem(
        organisation_id=locked.organisation_id,
        plan=locked,
        position=0 if last is None else last + 1,
        created_by=by,
        updated_by=by,
        **clean,
    )
    store_scan(item.evidence, upload, f"plans/{item.organisation_id}/evidence")
    item.save()
    _audit(item, AuditAction.CREATE, created(_audited(item)), by)
    logger.info("plan item %s added to plan %s by %s", item.pk, locked.pk, by)
    return item


@transaction.atomic
def item_update(item: PlanItem, data: Mapping[str, Any], *, by: User | None) -> PlanItem:
    locked = _lock_plan(item.plan)
    _require_active(locked.mentorship)
    current = PlanItem.objects.select_for_update().get(pk=item.pk, plan=locked)
    clean, upload = clean_item(locked.mentorship, data)
    before = _audited(current)
    for field, value in clean.items():
        setattr(current, field, value)
    store_scan(current.evidence, upload, f"plans/{current.organisation_id}/evidence")
    current.updated_by = by
    current.save()
    current.plan = locked
    changes = diff(before, _audited(current))
    if changes:
        _audit(current, AuditAction.UPDATE, changes, by)
    logger.info("plan item %s updated by %s", current.pk, by)
    return current


@transaction.atomic
def item_delete(item: PlanItem, *, by: User | None) -> None:
    locked = _lock_plan(item.plan)
    _require_active(locked.mentorship)
    current = PlanItem.objects.select_for_update().get(pk=item.pk, plan=locked)
    current.plan = locked
    _audit(current, AuditAction.DELETE, {"text": [current.text, None]}, by)
    previous = current.evidence.name
    current.delete()
    delete_after_commit(previous)
    logger.info("plan item %s deleted by %s", item.pk, by)


# --- The curator's part ------------------------------------------------------------------------


@transaction.atomic
def comment_add(
    plan: DevelopmentPlan,
    text: str,
    *,
    side: Side | None,
    by: User | None,
    item: PlanItem | None = None,
) -> PlanComment:
    if side != Side.CURATOR:
        raise _error("curator_only")
    locked = _lock_plan(plan)
    if item is not None and item.plan_id != locked.pk:
        raise _error("item_elsewhere", "item")
    clean = _text(text)
    if not clean:
        raise _error("comment_required", "text")
    if len(clean) > TEXT_MAX_LENGTH:
        raise _error("too_long", "text", max=TEXT_MAX_LENGTH)
    label = (by.get_full_name() or by.email) if by is not None else ""
    comment = PlanComment.objects.create(
        organisation_id=locked.organisation_id,
        plan=locked,
        item=item,
        author=by,
        author_label=label,
        text=clean,
    )
    logger.info("comment %s on plan %s by %s", comment.pk, locked.pk, by)
    events.emit("plan.commented", comment=comment, by=by)
    return comment


@transaction.atomic
def contact_set(
    plan: DevelopmentPlan, text: str, *, side: Side | None, by: User | None
) -> DevelopmentPlan:
    """What the mentees see of how to reach their mentor: the curator's decision."""
    if side != Side.CURATOR:
        raise _error("curator_only")
    locked = _lock_plan(plan)
    clean = " ".join(_text(text).split())
    if len(clean) > CONTACT_MAX_LENGTH:
        raise _error("too_long", "mentor_contact", max=CONTACT_MAX_LENGTH)
    locked.mentor_contact = clean
    locked.save(update_fields=["mentor_contact", "updated_at"])
    logger.info("mentor contact of plan %s set by %s", locked.pk, by)
    return locked


# --- Reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    in_progress: int
    dropped: int
    overdue: int

    @property
    def percent(self) -> int:
        counted = self.total - self.dropped
        return round(100 * self.done / counted) if counted else 0


def progress_of(items: Sequence[PlanItem], today: date) -> Progress:
    return Progress(
        total=len(items),
        done=sum(1 for i in items if i.status == PlanItemStatus.DONE),
        in_progress=sum(1 for i in items if i.status == PlanItemStatus.IN_PROGRESS),
        dropped=sum(1 for i in items if i.status == PlanItemStatus.DROPPED),
        overdue=sum(1 for i in items if i.is_overdue(today)),
    )
