"""The safeguarding channel in the demo: the demo mentee has asked the curator, urgently, for
another mentor (seed 002 §6.2), so the concern tops the curator's and the director's
dashboards; the curator answers it and replaces the mentor live (the concern's page →
«Заменить наставника»)."""

from __future__ import annotations

from datetime import date

from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import audit_record
from nastavnik.concerns.models import Concern, ReporterKind, Topic
from nastavnik.mentorships.models import Mentorship
from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme

TEXT = (
    "Здравствуйте! Мой наставник уже три недели не отвечает на сообщения и не приходит на "
    "встречи, план стоит. Договориться самостоятельно не получилось. Прошу назначить мне "
    "другого наставника."
)


def build_concerns(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    mentee = accounts.get("mentee")
    if mentee is None or mentee.user_id is None:
        return
    pair = (
        Mentorship.objects.active()
        .filter(programme=programme, members__mentee__person=mentee, members__active=True)
        .select_related("mentor__person")
        .first()
    )
    if pair is None:
        return
    # Made directly, not through `concern_raise`: the demo mails nobody.
    concern = Concern.objects.create(
        organisation=programme.organisation,
        reporter=mentee,
        reporter_user_id=mentee.user_id,
        reporter_kind=ReporterKind.MENTEE,
        mentorship=pair,
        about=pair.mentor.person,
        topic=Topic.REPLACEMENT,
        text=TEXT,
        urgent=True,
    )
    audit_record(
        programme.organisation,
        action=AuditAction.CREATE,
        object_type=AuditObject.CONCERN,
        object_id=concern.pk,
        label=f"Обращение № {concern.pk}",
        by=mentee.user,
        person=mentee,
    )
