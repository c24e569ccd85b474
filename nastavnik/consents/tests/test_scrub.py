"""Depersonalisation reaches the person's free text and files: a unique string planted in every
text the person wrote or that was written about them, and in every file uploaded for them, is
found nowhere — no text column of any table, no stored file — once the person is
depersonalised; another person's planted string stays."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from nastavnik.awards import services as awards
from nastavnik.awards.models import Juror, JuryScore, Nomination
from nastavnik.concerns.models import Concern, ReporterKind, Topic
from nastavnik.consents.services import Depersonalised, people_depersonalise
from nastavnik.matching.tests.data import mentee as make_mentee
from nastavnik.meetings.models import MeetingStatus
from nastavnik.meetings.tests.factories import meeting, pair, rate
from nastavnik.mentees.models import Mentee, MenteeInput
from nastavnik.mentors.models import Interview, MentorDocument, PortfolioItem
from nastavnik.mentors.tests.factories import MentorDocumentFactory, PortfolioItemFactory
from nastavnik.mentorships.models import MentorshipResult
from nastavnik.orgs.models import Role
from nastavnik.questionnaires.models import Answer, Campaign, Invitation, QuestionType, Response
from nastavnik.questionnaires.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

TRACE = "СЛЕД-9f3Q-неповторимый"
OTHER = "ЧУЖОЙ-след-4k2Z"


def _text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField | models.FileField)
    ]


def _found_in_database(text: str) -> list[str]:
    """Every model.field of the project's tables where `text` occurs."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("nastavnik"):
            continue
        for field in _text_fields(model):
            for value in model._base_manager.values_list(field.name, flat=True):
                if text in str(value):
                    found.append(f"{model._meta.label}.{field.name}")
    return found


def _found_in_storage(text: str) -> list[str]:
    needle = text.encode()
    found = []

    def walk(path: str) -> None:
        folders, files = default_storage.listdir(path)
        for name in files:
            full = f"{path}/{name}" if path else name
            with default_storage.open(full) as handle:
                if needle in handle.read() or text in name:
                    found.append(full)
        for folder in folders:
            walk(f"{path}/{folder}" if path else folder)

    walk("")
    return found


def _plant(tenant, mentorship, person, trace: str, *, side: str) -> None:
    """The person's own text and files, and text written about them, each with `trace`."""
    org = tenant.organisation
    programme = mentorship.programme
    held = meeting(mentorship, days=-3, status=MeetingStatus.HELD)
    rate(held, person, 9, side=side).__class__.objects.filter(author=person).update(
        comment=f"{trace} отзыв о встрече"
    )
    person.notes = f"{trace} заметка"
    person.save(update_fields=["notes"])
    # As a mentee (of this programme): the request, the reason of leaving, others' input.
    as_mentee = Mentee.objects.filter(programme=programme, person=person).first()
    as_mentee = as_mentee or make_mentee(programme, person=person)
    as_mentee.request_text, as_mentee.left_reason = f"{trace} запрос", f"{trace} причина"
    as_mentee.save(update_fields=["request_text", "left_reason"])
    MenteeInput.objects.create(
        organisation=org,
        mentee=as_mentee,
        author_name="Психолог Иванова",
        source="psychologist",
        text=f"{trace} наблюдение психолога",
    )
    # A questionnaire answered by name: the free text goes, the scale stays.
    text_question = QuestionFactory(
        section__questionnaire__organisation=org, type=QuestionType.LONG_TEXT
    )
    scale = QuestionFactory(
        section=text_question.section,
        questionnaire=text_question.questionnaire,
        type=QuestionType.SCALE,
    )
    campaign = Campaign.objects.create(
        organisation=org,
        programme=programme,
        questionnaire=text_question.questionnaire,
        title=f"Опрос {trace[:4]}",
        audience="mentees",
        deadline=timezone.localdate() + timedelta(days=10),
    )
    invitation = Invitation.objects.create(
        organisation=org,
        campaign=campaign,
        person=person,
        token_hash=f"{person.pk:064d}",
        answered=True,
        sent_to=f"{person.pk}@example.ru",
    )
    response = Response.objects.create(
        organisation=org,
        campaign=campaign,
        invitation=invitation,
        person=person,
        channel="online",
        submitted_on=timezone.localdate(),
        feed_notes=[{"question": "q", "feed": "k", "reason": f"{trace} примечание"}],
    )
    Answer.objects.create(
        organisation=org, response=response, question=text_question, value=f"{trace} ответ"
    )
    Answer.objects.create(organisation=org, response=response, question=scale, value=8, number=8)
    # A concern raised in the safeguarding channel, with the curator's answer and note.
    Concern.objects.create(
        organisation=org,
        reporter=person,
        reporter_kind=ReporterKind.MENTEE,
        topic=Topic.OTHER,
        text=f"{trace} беспокойство",
        answer=f"{trace} ответ куратора",
        note=f"{trace} заметка куратора",
    )
    # Files uploaded for the person.
    MentorDocumentFactory(
        person=person, scan=ContentFile(f"%PDF-1.4 {trace}".encode(), name="scan.pdf")
    )
    PortfolioItemFactory(
        person=person,
        title=f"{trace} грамота",
        text=f"{trace} описание",
        file=ContentFile(f"%PDF-1.4 {trace}".encode(), name="diploma.pdf"),
    )


def test_depersonalisation_leaves_no_trace_of_the_person(tenant_a):
    mentorship = pair(tenant_a.organisation)
    mentor = mentorship.mentor
    person = mentor.person
    other = mentorship.members.get().mentee.person
    # The mentor's own text and what the selection wrote about them.
    for field in ("competencies", "motivation", "decision_note", "left_reason", "training_note"):
        setattr(mentor, field, f"{TRACE} {field}")
    mentor.save()
    Interview.objects.create(
        organisation=tenant_a.organisation,
        mentor=mentor,
        held_on=timezone.localdate(),
        interviewers="Куратор",
        notes=f"{TRACE} собеседование",
    )
    MentorshipResult.objects.create(
        organisation=tenant_a.organisation,
        mentorship=mentorship,
        mentor_feedback=f"{TRACE} отзыв наставника",
        mentee_feedback=f"{OTHER} отзыв наставляемого",
    )
    _plant(tenant_a, mentorship, person, TRACE, side="mentor")
    _plant(tenant_a, mentorship, other, OTHER, side="mentee")
    # Nominated for an award, with merits and a juror's comment.
    awards.builtin_nominations_create(mentorship.programme, by=None)
    nomination = Nomination.objects.get(programme=mentorship.programme, code="mentor_of_the_year")
    nominee = awards.nominee_add(nomination, mentor=mentor, merits=f"{TRACE} заслуги", by=None)
    juror = Juror.objects.create(
        organisation=tenant_a.organisation, nomination=nomination, user=tenant_a.user(Role.CURATOR)
    )
    JuryScore.objects.create(
        organisation=tenant_a.organisation,
        nominee=nominee,
        juror=juror,
        score=9,
        comment=f"{TRACE} мнение жюри",
    )
    assert len(_found_in_database(TRACE)) >= 15
    assert len(_found_in_storage(TRACE)) == 2

    assert people_depersonalise(person, by=None) == Depersonalised.DONE

    assert _found_in_database(TRACE) == []
    assert _found_in_storage(TRACE) == []
    # The rows stay for the figures; the scale answer too.
    assert MentorDocument.objects.filter(person=person, scan="").count() == 1
    assert PortfolioItem.objects.filter(person=person, file="").count() == 1
    assert Answer.objects.filter(response__person=person, number=8).exists()
    # The other person's data are untouched.
    assert len(_found_in_database(OTHER)) >= 8
    assert len(_found_in_storage(OTHER)) == 2
    assert MenteeInput.objects.filter(mentee__person=other, text__contains=OTHER).exists()
