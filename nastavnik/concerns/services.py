"""Writes of the safeguarding channel: raising a concern and recording what was done.

Each function is atomic and validated: bad input raises ValidationError and writes nothing.
Reads are audited by `concern_read`, so the log shows everyone who opened a concern. Neither
the audit log nor the mail carries the concern's text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.models import User
from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import Changes, audit_record
from nastavnik.concerns.access import PSYCHOLOGIST_POSITION
from nastavnik.concerns.models import (
    TEXT_MAX_LENGTH,
    Concern,
    ConcernStatus,
    Outcome,
    ReporterKind,
    Topic,
)
from nastavnik.core import events
from nastavnik.core.tasks import queue_mail
from nastavnik.mentorships.models import (
    MentorAssignment,
    Mentorship,
    MentorshipMentee,
    MentorshipStatus,
)
from nastavnik.orgs.models import Membership, Organisation, Role
from nastavnik.people.models import GuardianLink, Person

logger = logging.getLogger(__name__)

ANSWER_MAX_LENGTH = TEXT_MAX_LENGTH


def _text(value: Any, field: str, *, required: bool, limit: int = TEXT_MAX_LENGTH) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("Write what happened: the text may not be empty.")})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("The text is too long: at most %(max)s characters, you wrote %(n)s.")
                % {"max": limit, "n": len(text)}
            }
        )
    return text


@dataclass(frozen=True)
class Standing:
    """Who the user is to a pair: the side they report from, and for a parent the child."""

    kind: ReporterKind
    reporter: Person
    child: Person | None
    mentorship: Mentorship


def standings(organisation: Organisation, user: User) -> list[Standing]:
    """The active pairs the user may raise a concern about, each with the user's side: the
    pairs they mentor, the pair they are a mentee of, the pairs of their children."""
    me = list(Person.objects.for_org(organisation).filter(user=user))
    if not me:
        return []
    roles = set(
        Membership.objects.filter(user=user, organisation=organisation).values_list(
            "role", flat=True
        )
    )
    active = Mentorship.objects.for_org(organisation).active().select_related("mentor__person")
    found: list[Standing] = []
    by_pk = {p.pk: p for p in me}
    if Role.MENTOR in roles:
        for pair in active.filter(mentor__person__in=me).order_by("pk"):
            found.append(Standing(ReporterKind.MENTOR, by_pk[pair.mentor.person_id], None, pair))
    if Role.MENTEE in roles:
        members = MentorshipMentee.objects.filter(
            mentorship__in=active, mentee__person__in=me, active=True
        ).select_related("mentorship__mentor__person", "mentee")
        for member in members.order_by("mentorship_id"):
            person = by_pk[member.mentee.person_id]
            found.append(Standing(ReporterKind.MENTEE, person, None, member.mentorship))
    if Role.GUARDIAN in roles:
        links = GuardianLink.objects.filter(organisation=organisation, guardian__in=me)
        for link in links.select_related("child", "guardian").order_by("child__name_key", "pk"):
            for pair in active.filter(
                members__mentee__person=link.child, members__active=True
            ).order_by("pk"):
                found.append(Standing(ReporterKind.GUARDIAN, link.guardian, link.child, pair))
    return found


def standing_key(standing: Standing) -> str:
    child = standing.child.pk if standing.child else 0
    return f"{standing.kind}-{standing.mentorship.pk}-{child}"


def _reporter_without_pair(organisation: Organisation, user: User) -> tuple[ReporterKind, Person]:
    roles = set(
        Membership.objects.filter(user=user, organisation=organisation).values_list(
            "role", flat=True
        )
    )
    person = Person.objects.for_org(organisation).filter(user=user).first()
    kind = next((ReporterKind(r) for r in ReporterKind.values if r in roles), None)
    if person is None or kind is None:
        raise ValidationError(
            _("Your account has no entry in the organisation's registry; ask the curator.")
        )
    return kind, person


def people_about(concern: Concern) -> set[int]:
    """The registry entries the concern is about: never its readers nor told of it."""
    people: set[int] = {concern.about_id} if concern.about_id else set()
    if concern.mentorship_id:
        pair = concern.mentorship
        # A set id loads its row (or raises DoesNotExist): never None here.
        assert pair is not None
        people.add(pair.mentor.person_id)
        people.update(
            MentorAssignment.objects.filter(mentorship=pair).values_list(
                "mentor__person", flat=True
            )
        )
        people.update(pair.members.values_list("mentee__person", flat=True))
    people.discard(concern.reporter_id)
    return people


def _recipients(concern: Concern) -> list[str]:
    """The curators (and the psychologists, if the reporter chose so), minus anyone the
    concern is about."""
    organisation = concern.organisation
    wanted = Q(role=Role.CURATOR)
    if concern.to_psychologist:
        psychologists = Person.objects.for_org(organisation).filter(
            position__icontains=PSYCHOLOGIST_POSITION, user__isnull=False
        )
        wanted |= Q(role=Role.SPECIALIST, user__in=psychologists.values("user"))
    excluded = Person.objects.filter(pk__in=people_about(concern), user__isnull=False).values(
        "user"
    )
    return sorted(
        set(
            Membership.objects.filter(wanted, organisation=organisation)
            .exclude(user__in=excluded)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _notify(concern: Concern) -> None:
    recipients = _recipients(concern)
    if not recipients:
        logger.warning("concern %s: nobody to notify", concern.pk)
        return
    url = settings.SITE_URL.rstrip("/") + concern.get_absolute_url()
    subject = (
        _("Urgent concern in the safeguarding channel")
        if concern.urgent
        else _("New concern in the safeguarding channel")
    )
    # The text stays in the system: mail goes through servers we do not control.
    body = _(
        "A new concern was raised in the safeguarding channel of %(org)s.\n"
        "Its content is only in the system: %(url)s\n"
    ) % {"org": concern.organisation.short_name or concern.organisation.name, "url": url}
    queue_mail(subject, body, recipients)


@transaction.atomic
def _audit(
    concern: Concern, action: AuditAction, by: User | None, changes: Changes | None = None
) -> None:
    """A concern's entry in the log names it by its number, never by its words, under the
    person it is for (the child of a guardian's concern)."""
    audit_record(
        concern.organisation,
        action=action,
        object_type=AuditObject.CONCERN,
        object_id=concern.pk,
        label=_("Concern No. %(n)s") % {"n": concern.pk},
        by=by,
        person=concern.child or concern.reporter,
        changes=changes,
    )


def concern_raise(
    organisation: Organisation,
    *,
    user: User,
    standing: str,
    topic: str,
    text: str,
    urgent: bool = False,
    to_psychologist: bool = False,
) -> Concern:
    """A concern from the user, about one of the pairs of `standings` (by its key) or, with
    no pair, about something else troubling."""
    if topic not in Topic.values:
        raise ValidationError({"topic": _("Choose what the concern is about.")})
    text = _text(text, "text", required=True)
    mine = {standing_key(s): s for s in standings(organisation, user)}
    chosen = mine.get(standing or "")
    if standing and chosen is None:
        raise ValidationError({"standing": _("Choose one of your own pairs.")})
    if chosen is None:
        if topic != Topic.OTHER:
            raise ValidationError(
                {"standing": _("Choose the pair the concern is about, or the topic «other».")}
            )
        kind, reporter = _reporter_without_pair(organisation, user)
        child, mentorship, about = None, None, None
    else:
        kind, reporter, child, mentorship = (
            chosen.kind,
            chosen.reporter,
            chosen.child,
            chosen.mentorship,
        )
        if kind == ReporterKind.MENTOR and topic in (Topic.MENTOR, Topic.REPLACEMENT):
            raise ValidationError(
                {"topic": _("A mentor raises a concern about the pair or something else.")}
            )
        about = mentorship.mentor.person if kind != ReporterKind.MENTOR else None
    concern = Concern.objects.create(
        organisation=organisation,
        reporter=reporter,
        reporter_user=user,
        reporter_kind=kind,
        child=child,
        mentorship=mentorship,
        about=about,
        topic=topic,
        text=text,
        urgent=bool(urgent),
        to_psychologist=bool(to_psychologist),
    )
    _audit(concern, AuditAction.CREATE, user)
    _notify(concern)
    events.emit("concern.raised", concern=concern, by=user)
    logger.info("concern %s raised (%s, urgent=%s)", concern.pk, kind, concern.urgent)
    return concern


def concern_read(concern: Concern, *, by: User) -> None:
    """Every opening of a concern leaves an entry: who, when, from where — not the text."""
    _audit(concern, AuditAction.READ, by)


def _check_link(
    concern: Concern, outcome: str, replacement: MentorAssignment | None
) -> MentorAssignment | None:
    pair = concern.mentorship
    if outcome == Outcome.REPLACED:
        if pair is None:
            raise ValidationError(
                {"outcome": _("The concern names no pair to replace the mentor of.")}
            )
        if replacement is None or replacement.mentorship_id != pair.pk or not replacement.ground:
            raise ValidationError(
                {
                    "replacement": _(
                        "Choose the replacement of this pair's mentor; replace the mentor first "
                        "through the pair's page."
                    )
                }
            )
        return replacement
    if replacement is not None:
        raise ValidationError(
            {"replacement": _("A replacement is linked only when the mentor was replaced.")}
        )
    if outcome == Outcome.COMPLETED_EARLY and (
        pair is None or pair.status != MentorshipStatus.COMPLETED_EARLY
    ):
        raise ValidationError(
            {
                "outcome": _(
                    "The pair is not completed early; complete it first through the pair's page."
                )
            }
        )
    return None


@transaction.atomic
def concern_record(
    concern: Concern,
    *,
    outcome: str,
    answer: str,
    note: str = "",
    replacement: MentorAssignment | None = None,
    close: bool = False,
    by: User,
) -> Concern:
    """What the curator did: the outcome, the answer the reporter reads, an internal note, and
    the replacement or early completion it led to."""
    # No select_related: PostgreSQL locks no row on the nullable side of an outer join.
    locked = Concern.objects.select_for_update().get(pk=concern.pk)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose what was done.")})
    answer = _text(answer, "answer", required=False)
    note = _text(note, "note", required=False)
    if close and not answer:
        raise ValidationError({"answer": _("Write the answer to the reporter before closing.")})
    locked.replacement = _check_link(locked, outcome, replacement)
    before = {"status": locked.status, "outcome": locked.outcome}
    before_answer = locked.answer
    locked.outcome = outcome
    locked.answer = answer
    locked.note = note
    locked.status = (
        ConcernStatus.CLOSED if close or outcome == Outcome.CLOSED else ConcernStatus.IN_PROGRESS
    )
    locked.handled_by = by
    answered = bool(answer) and answer != before_answer
    if answer:
        locked.answered_at = timezone.now()
    locked.save()
    _audit(
        locked,
        AuditAction.UPDATE,
        by,
        changes={
            "status": [before["status"], locked.status],
            "outcome": [before["outcome"], locked.outcome],
        },
    )
    for name in ("replacement", "outcome", "answer", "note", "status", "handled_by", "answered_at"):
        setattr(concern, name, getattr(locked, name))
    if answered:
        # A new or changed answer: the reporter is told there is one (not what it says).
        events.emit("concern.answered", concern=locked, by=by)
    return concern


def replacement_url(concern: Concern) -> str:
    """The pair's own replacement page, with the ground of a justified request chosen."""
    assert concern.mentorship_id is not None
    return (
        reverse(
            "mentorships:replace",
            kwargs={"org_slug": concern.organisation.slug, "mentorship_pk": concern.mentorship_id},
        )
        + f"?ground={MentorAssignment.Ground.REQUEST}"
    )
