"""From the bases to the engine: the mentees and mentors of one programme and form as
`MenteeProfile` / `MentorProfile`, in a fixed number of queries whatever their count.

Who enters a run:
- mentees in the base (status «in the base») of the form, and those of the base with no form
  yet (the engine refuses them by name: a run must not silently leave anyone out); with
  `only_unmatched`, only those left without a mentor by an earlier run (marked for support);
- mentors of the base who take the form, registered in the registry (signed order) or approved
  by the commission and waiting for the order — the latter enter as not eligible, so that the
  explanation of a mentee left alone can say that mentors exist but are not in the registry yet.
  Mentors whose active pairs already fill their places stay out (the engine refuses a mentor
  with no free place) and are listed in the run's notes.

People whose data are hidden after a withdrawn consent never enter. People without a valid
consent to participation enter with nothing but their form (no requests, marks, preferences):
the engine leaves them out and says why, and no personal data of theirs are processed.

Identifiers are Person pks: preferences name people, and a person is at most once a mentee and
once a mentor in a programme.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from nastavnik.assessments.models import Measure, Phase
from nastavnik.catalogue.models import MentoringForm
from nastavnik.catalogue.profile import RequestTopic, split_list
from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import hidden_q, valid_exists
from nastavnik.matching.shared_base import shared_mentors_for
from nastavnik.matching.synonyms import synonym_groups
from nastavnik.matching_engine.model import (
    DEFAULT_FORM_RULES,
    DEFAULT_ROLE_MODEL_RULES,
    Constraints,
    FormRules,
    MeetingFormat,
    MenteeProfile,
    MentorProfile,
    Missing,
    PersonId,
    RoleModelRules,
    Strictness,
)
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentees.rules import eligibility
from nastavnik.mentors.models import GROUP_LIMIT, Mentor, MentorStatus
from nastavnik.mentors.rules import documents_valid_q
from nastavnik.mentorships.models import MentorshipMentee
from nastavnik.people.models import GuardianLink
from nastavnik.programmes.models import Programme

#: The words each request topic stands for, as the engine matches them against the mentors'
#: competencies (Russian content: the engine lemmatises Russian, whatever the UI language).
TOPIC_TERMS: Mapping[str, str] = {
    RequestTopic.SUBJECT: "учебный предмет успеваемость",
    RequestTopic.EXAMS: "подготовка к ОГЭ и ЕГЭ, экзамены",
    RequestTopic.ADAPTATION: "адаптация в новом классе и школе",
    RequestTopic.LEADERSHIP: "лидерство, организаторские навыки",
    RequestTopic.COMMUNICATION: "общение, коммуникация, уверенность",
    RequestTopic.CAREER: "профориентация, выбор профессии, карьера",
    RequestTopic.PROJECT: "проект, исследование, проектная деятельность",
    RequestTopic.COMPETITIONS: "олимпиады, конкурсы, соревнования",
    RequestTopic.CREATIVITY: "творчество, спорт, хобби",
    RequestTopic.DIGITAL: "цифровые навыки, программирование, компьютер",
    RequestTopic.PROFESSIONAL_GROWTH: "профессиональный рост молодого специалиста",
    RequestTopic.METHODS: "методика, урок, методическая работа",
    RequestTopic.CLASSROOM: "классное руководство, дисциплина, работа с родителями",
}

#: The entry measure read as a mentor's (or, failing the base's own mark, a mentee's) results.
RESULTS_PARAMETER = "academic_results"

#: Mentors in these statuses enter a run; only the registered take part.
MATCHED_STATUSES = (MentorStatus.REGISTERED, MentorStatus.APPROVED)


@dataclass(frozen=True)
class Note:
    """Something about the inputs the curator should know; `texts.note_text` words it."""

    code: str
    people: tuple[int, ...] = ()
    pairs: tuple[tuple[int, int], ...] = ()
    #: Names of things that are not people (a role model).
    words: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        made: dict[str, Any] = {
            "code": self.code,
            "people": list(self.people),
            "pairs": [list(pair) for pair in self.pairs],
        }
        if self.words:
            made["words"] = list(self.words)
        return made


@dataclass
class RunInputs:
    mentees: list[MenteeProfile]
    mentors: list[MentorProfile]
    constraints: Constraints
    #: By Person pk: the rows behind the profiles.
    mentee_rows: dict[int, Mentee]
    mentor_rows: dict[int, Mentor]
    notes: list[Note] = field(default_factory=list)
    #: Free places of each mentor before the run (Person pk → places).
    places: dict[int, int] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.mentees, self.mentors, self.constraints)

    def name(self, person_pk: object) -> str:
        row = self.mentee_rows.get(person_pk) or self.mentor_rows.get(person_pk)  # type: ignore[call-overload]
        return row.person.full_name if row is not None else str(person_pk)


# --- Queries ----------------------------------------------------------------------------------


def _consent_flags(ref: str, on: date) -> dict[str, Exists]:
    return {
        "processing_ok": valid_exists(Purpose.PROCESSING, on, ref),
        "participation_ok": valid_exists(Purpose.PARTICIPATION, on, ref),
    }


def _entry_results(programme: Programme | int) -> Subquery:
    return Subquery(
        Measure.objects.filter(
            programme=programme,
            person=OuterRef("person"),
            parameter__code=RESULTS_PARAMETER,
            phase=Phase.ENTRY,
        ).values("value")[:1]
    )


def active_mentees_of(person_ref: str = "person") -> Coalesce:
    """How many mentees the mentor (the person, in any programme) has in active mentorships."""
    return Coalesce(
        Subquery(
            MentorshipMentee.objects.filter(
                active=True, mentorship__mentor__person=OuterRef(person_ref)
            )
            .values("mentorship__mentor__person")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def mentee_profile_annotations(programme: Programme | int, on: date) -> dict[str, Any]:
    """What `mentee_profile` reads beside the entry's own fields: the consents valid on `on`
    and the results measured at entry into `programme`."""
    return {**_consent_flags("person", on), "entry_results": _entry_results(programme)}


def mentor_profile_annotations(programme: Programme | int, on: date) -> dict[str, Any]:
    """What `mentor_profile` reads beside the entry's own fields: the consents and documents
    valid on `on`, the mentees the mentor has now, the results measured at entry."""
    return {
        **_consent_flags("person", on),
        "documents_ok": ExpressionWrapper(Q(documents_valid_q(on)), output_field=BooleanField()),
        "active_mentees": active_mentees_of(),
        "entry_results": _entry_results(programme),
    }


def mentees_for_run(
    programme: Programme, form: MentoringForm, on: date, *, only_unmatched: bool = False
) -> list[Mentee]:
    rows = (
        Mentee.objects.filter(programme=programme, status=MenteeStatus.IN_BASE)
        .filter(Q(form=form) | Q(form__isnull=True))
        .exclude(hidden_q(on, ref="person"))
        .select_related("person", "role_model")
        .annotate(**mentee_profile_annotations(programme, on))
        .order_by("person__name_key", "pk")
    )
    if only_unmatched:
        rows = rows.filter(support_needed=True)
    return list(rows)


def mentors_for_run(
    programme: Programme, form: MentoringForm, on: date, *, include_shared: bool = False
) -> list[Mentor]:
    """The programme's mentors of the form; with `include_shared`, also the shared mentors of
    the other organisations of the municipality who take a form of the same code."""
    wanted = Q(programme=programme, forms=form, status__in=MATCHED_STATUSES)
    if include_shared:
        shared = shared_mentors_for(programme.organisation, on).filter(forms__code=form.code)
        wanted |= Q(pk__in=shared.values("pk"))
    return list(
        Mentor.objects.filter(wanted)
        .distinct()
        .exclude(hidden_q(on, ref="person"))
        .select_related("person")
        .annotate(**mentor_profile_annotations(programme, on))
        .order_by("person__name_key", "pk")
    )


def role_models_of(mentors: list[Mentor], form: MentoringForm | int) -> dict[int, frozenset[str]]:
    """Each mentor's role models within the form; none chosen in it means any."""
    through = Mentor.role_models.through
    chosen: dict[int, set[str]] = {}
    for mentor_pk, role_model_pk in through.objects.filter(
        mentor_id__in=[m.pk for m in mentors], rolemodel__form=form
    ).values_list("mentor_id", "rolemodel_id"):
        chosen.setdefault(mentor_pk, set()).add(str(role_model_pk))
    return {pk: frozenset(models) for pk, models in chosen.items()}


def family_ids(
    links: Iterable[tuple[int, int]], people: Iterable[int] | None = None
) -> dict[int, str]:
    """A family id per person, joining each (guardian, child) link (union-find): for `people`,
    or for everyone the links name."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for guardian, child in links:
        parent[find(guardian)] = find(child)
    return {person: f"f{find(person)}" for person in (parent if people is None else people)}


def families(people: Iterable[int]) -> dict[int, str]:
    """A family id per person: siblings (a shared guardian) and their guardians are one family
    (union of the guardian links, two steps out so step-siblings meet through a parent)."""
    people = set(people)
    guardians_of_people = GuardianLink.objects.filter(child__in=people).values("guardian")
    links = GuardianLink.objects.filter(
        Q(child__in=people) | Q(guardian__in=people) | Q(guardian__in=guardians_of_people)
    ).values_list("guardian_id", "child_id")
    return family_ids(links, people)


# --- Profiles ---------------------------------------------------------------------------------


def _results(own: Decimal | None, measured: Decimal | None) -> float | None:
    value = own if own is not None else measured
    return float(value) if value is not None else None


def _topic_texts(topics: Iterable[str]) -> tuple[str, ...]:
    return tuple(TOPIC_TERMS[t] for t in topics if t in TOPIC_TERMS)


def _slots(values: Any) -> frozenset[str]:
    return frozenset(str(v) for v in values or () if v)


def _person_ids(values: Any) -> tuple[int, ...]:
    """Person pks as the questionnaires stored them; anything else names nobody."""
    ids = (
        int(v)
        for v in values or ()
        if (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, str) and v.isdigit())
    )
    return tuple(dict.fromkeys(ids))


def mentee_profile(
    mentee: Mentee, form_code: str | None, on: date, family: str | None
) -> MenteeProfile:
    person = mentee.person
    consent = bool(mentee.processing_ok and mentee.participation_ok)  # type: ignore[attr-defined]
    if not consent:
        return MenteeProfile(id=person.pk, form=form_code, consent_valid=False)
    return MenteeProfile(
        id=person.pk,
        form=form_code,
        role_model=str(mentee.role_model_id) if mentee.role_model_id else None,
        topics=_topic_texts(mentee.topics or ()),
        request_text=mentee.request_text,
        subjects=frozenset(split_list(mentee.subjects)),
        grade=person.grade,
        age=person.age_on(on),
        results=_results(mentee.results, mentee.entry_results),  # type: ignore[attr-defined]
        family=family,
        availability=_slots(mentee.availability),
        meeting_format=MeetingFormat(mentee.meeting_format),
        preferences=_person_ids(mentee.preferences),
        eligible=eligibility(person, on, asked_for_mentor=mentee.asked_for_mentor).ok,
    )


def mentor_profile(
    mentor: Mentor,
    form_code: str,
    on: date,
    family: str | None,
    role_models: frozenset[str],
    places: int,
    shared: bool = False,
) -> MentorProfile:
    """`shared`: another organisation's mentor, reached through the municipality's shared
    base (the engine's shared block), not the organisation's own."""
    person = mentor.person
    consent = bool(mentor.processing_ok and mentor.participation_ok)  # type: ignore[attr-defined]
    if not consent:
        return MentorProfile(id=person.pk, form=form_code, consent_valid=False, capacity=places)
    return MentorProfile(
        id=person.pk,
        form=form_code,
        organisation=str(mentor.organisation_id) if shared else "",
        shared=shared,
        role_models=role_models,
        competencies=(mentor.competencies,) if mentor.competencies else (),
        subjects=frozenset(split_list(mentor.subjects or person.subjects)),
        grade=person.grade,
        age=person.age_on(on),
        results=_results(None, mentor.entry_results),  # type: ignore[attr-defined]
        family=family,
        availability=_slots(mentor.availability),
        meeting_format=MeetingFormat(mentor.meeting_format),
        experience_years=float(mentor.experience_years or 0),
        capacity=places,
        preferences=_person_ids(mentor.preferences),
        documents_valid=bool(mentor.documents_ok),  # type: ignore[attr-defined]
        eligible=mentor.status == MentorStatus.REGISTERED,
    )


def _keep_inside(
    profiles: list[Any], allowed: set[PersonId], notes: list[Note], code: str
) -> list[Any]:
    """Preferences naming people outside the run are dropped, with a note.

    Refusing the run instead would block the whole form on a questionnaire answer nobody can
    act on quickly: the named mentor may have left, be full, or be in another form. The
    preference simply cannot be honoured, and the curator is told which ones were set aside.
    """
    dropped: list[tuple[int, int]] = []
    kept = []
    for profile in profiles:
        inside = tuple(p for p in profile.preferences if p in allowed)
        if len(inside) != len(profile.preferences):
            dropped += [(profile.id, p) for p in profile.preferences if p not in allowed]
            profile = replace(profile, preferences=inside)
        kept.append(profile)
    if dropped:
        notes.append(Note(code, pairs=tuple(dropped)))
    return kept


def _constraints(
    form: MentoringForm,
    mentors: list[Mentor],
    mentor_profiles: list[MentorProfile],
    mentees: list[Mentee],
    options: Mapping[str, Any],
    notes: list[Note],
) -> Constraints:
    rules = DEFAULT_FORM_RULES.get(form.code, FormRules())
    if any(m.leads_group for m in mentors):
        # A group mentor takes up to the group's size; the form allows it for this run.
        rules = replace(rules, group_size=GROUP_LIMIT)
    role_model_rules: dict[str, RoleModelRules] = {}
    sought = {m.role_model for m in mentees if m.role_model is not None}
    marks_known = any(p.results is not None for p in mentor_profiles)
    for role_model in sought:
        default = DEFAULT_ROLE_MODEL_RULES.get(role_model.name)
        if default is None:
            continue
        if default.mentor_results_higher != Strictness.OFF and not marks_known:
            # Without any mentor's mark the rule would exclude every mentor: it is not checked
            # and the curator is told so.
            notes.append(Note("results_rule_unchecked", words=(role_model.name,)))
            continue
        role_model_rules[str(role_model.pk)] = default
    return Constraints(
        forms={form.code: rules},
        role_models=role_model_rules,
        require_common_slot=bool(options.get("require_common_slot", True)),
        format_must_fit=bool(options.get("format_must_fit", False)),
    )


def build_inputs(
    programme: Programme,
    form: MentoringForm,
    on: date,
    *,
    only_unmatched: bool = False,
    options: Mapping[str, Any] | None = None,
) -> RunInputs:
    """The run's people as the engine sees them, and what the curator should know about them.
    About ten queries, whatever the size of the bases."""
    options = options or {}
    mentees = mentees_for_run(programme, form, on, only_unmatched=only_unmatched)
    mentors = mentors_for_run(
        programme, form, on, include_shared=bool(options.get("include_shared", False))
    )
    notes: list[Note] = []

    full = [m for m in mentors if m.capacity - m.active_mentees <= 0]  # type: ignore[attr-defined]
    if full:
        notes.append(Note("mentors_full", people=tuple(m.person_id for m in full)))
    mentors = [m for m in mentors if m not in full]
    # A person both mentee and mentor of the form is never their own mentor: the same family.
    family_of = families({m.person_id for m in mentees} | {m.person_id for m in mentors})
    role_models = role_models_of(mentors, form)
    places = {m.person_id: m.capacity - m.active_mentees for m in mentors}  # type: ignore[attr-defined]

    mentee_profiles = [
        mentee_profile(m, form.code if m.form_id else None, on, family_of[m.person_id])
        for m in mentees
    ]
    mentor_profiles = [
        mentor_profile(
            m,
            form.code,
            on,
            family_of[m.person_id],
            role_models.get(m.pk, frozenset()),
            places[m.person_id],
            shared=m.organisation_id != programme.organisation_id,
        )
        for m in mentors
    ]
    mentee_ids = {p.id for p in mentee_profiles}
    mentor_ids = {p.id for p in mentor_profiles}
    mentee_profiles = _keep_inside(mentee_profiles, mentor_ids, notes, "mentee_preferences_outside")
    mentor_profiles = _keep_inside(mentor_profiles, mentee_ids, notes, "mentor_preferences_outside")
    constraints = replace(
        _constraints(form, mentors, mentor_profiles, mentees, options, notes),
        synonyms=synonym_groups(programme.organisation),
    )
    return RunInputs(
        mentees=mentee_profiles,
        mentors=mentor_profiles,
        constraints=constraints,
        mentee_rows={m.person_id: m for m in mentees},
        mentor_rows={m.person_id: m for m in mentors},
        notes=notes,
        places=places,
    )


# --- The fingerprint --------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def fingerprint(
    mentees: Iterable[MenteeProfile], mentors: Iterable[MentorProfile], constraints: Constraints
) -> str:
    """A hash of exactly what the engine was given: the profiles (so a changed request, a new
    mentee, a consent withdrawn, a pair formed meanwhile — free places — all show) and the
    form's rules. Sets are sorted: string hashing differs between processes."""
    payload = {
        "mentees": sorted((_plain(p) for p in mentees), key=lambda p: str(p["id"])),
        "mentors": sorted((_plain(p) for p in mentors), key=lambda p: str(p["id"])),
        "forms": _plain(dict(constraints.forms)),
        "role_models": _plain(dict(constraints.role_models)),
        "options": [constraints.require_common_slot, constraints.format_must_fit],
        "synonyms": _plain(constraints.synonyms),
    }
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


# --- Missing data before a run ----------------------------------------------------------------


@dataclass(frozen=True)
class MissingRow:
    """A person of the run whose profile lacks data the score or the rules need."""

    person_pk: int
    name: str
    side: str  # "mentee" or "mentor"
    missing: tuple[str, ...]


def missing_data(inputs: RunInputs) -> list[MissingRow]:
    """Who lacks what, mentees first: a mentee without time fails «common time required», and
    any blank criterion scores nothing, so the curator can fill the gaps before running."""
    rows: list[MissingRow] = []
    for profile in inputs.mentees:
        gaps = []
        if not profile.availability:
            gaps.append(Missing.MENTEE_TIME.value)
        if profile.role_model is None:
            gaps.append(Missing.ROLE_MODEL.value)
        if not (profile.request_text.strip() or profile.topics):
            gaps.append(Missing.MENTEE_REQUEST.value)
        if gaps:
            person = inputs.mentee_rows[profile.id].person  # type: ignore[index]
            rows.append(MissingRow(person.pk, person.full_name, "mentee", tuple(gaps)))
    for offer in inputs.mentors:
        gaps = []
        if not offer.availability:
            gaps.append(Missing.MENTOR_TIME.value)
        if not (offer.about_text.strip() or offer.competencies):
            gaps.append(Missing.MENTOR_OFFER.value)
        if gaps:
            person = inputs.mentor_rows[offer.id].person  # type: ignore[index]
            rows.append(MissingRow(person.pk, person.full_name, "mentor", tuple(gaps)))
    return rows
