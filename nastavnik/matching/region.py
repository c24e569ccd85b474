"""Region-scale matching through the application: one run over the organisations of a
municipality (or several) with their shared mentors, built from the database.

Each organisation keeps its own tenancy: the run is written as one `MatchingRun` per
organisation's programme, holding that organisation's proposals only. What crosses the
organisations is the engine's: a mentee reaches the mentors of its own organisation and the
shared mentors of its municipality (`matching_engine.candidates`, blocks by organisation and by
municipality), and a mentor's places are counted across organisations (active mentees of the
person in every programme).

The inputs are read in a fixed number of bulk queries (values, not model instances: 200,000
mentees and 80,000 mentors would not fit the time as objects), and the proposals are written in
bulk. A proposal whose mentor is another organisation's is a proposal to ask for that mentor
(`sharing.offer_ask`): the pair itself needs the home organisation's and the mentor's agreement,
so such a run is read, never confirmed as it stands — its fingerprint is left empty, and
`services.run_confirm` refuses it as made on other data.

Simplifications against `profiles.build_inputs` (one organisation's run), said here so nobody
mistakes one for the other: no role-model rules (they differ by organisation), no entry results
and no preferences (both are an organisation's own group meeting), the built-in forms only.
"""

from __future__ import annotations

import functools
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import Count, Max, TextField
from django.db.models.functions import Cast

from nastavnik.catalogue.models import MentoringForm
from nastavnik.catalogue.profile import split_list
from nastavnik.consents.models import Consent, Purpose
from nastavnik.consents.rules import hidden_q
from nastavnik.core.dates import age_on
from nastavnik.matching.compute import breakdown, engine_options, engine_weights
from nastavnik.matching.models import MatchingRun, Proposal, RunStatus, UnmatchedMentee
from nastavnik.matching.profiles import MATCHED_STATUSES, TOPIC_TERMS, family_ids
from nastavnik.matching.shared_base import shareable_mentors
from nastavnik.matching_engine import MatchResult, Weights, run_matching
from nastavnik.matching_engine.model import (
    DEFAULT_FORM_RULES,
    Constraints,
    FormRules,
    MeetingFormat,
    MenteeProfile,
    MentorProfile,
)
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentors.models import GROUP_LIMIT, Mentor
from nastavnik.mentorships.models import MentorshipMentee
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import GuardianLink, Person
from nastavnik.programmes.models import Programme, ProgrammeStatus

T = TypeVar("T")

#: `json.dumps(…, ensure_ascii=False)` without making an encoder for each of 200,000 rows.
_JSON = json.JSONEncoder(ensure_ascii=False)

#: Rows written per INSERT.
WRITE_BATCH = 5000


@dataclass
class RegionInputs:
    form: MentoringForm
    mentees: list[MenteeProfile]
    mentors: list[MentorProfile]
    constraints: Constraints
    #: Person pk → (Mentee pk, programme pk, organisation pk).
    mentee_rows: dict[int, tuple[int, int, int]]
    #: Person pk → Mentor pk.
    mentor_rows: dict[int, int]
    #: Programme pk → organisation pk, of the programmes whose mentees are in the run.
    programmes: dict[int, int] = field(default_factory=dict)
    shared: int = 0


@dataclass
class RegionRun:
    runs: list[MatchingRun]
    proposals: int
    unmatched: int
    seconds: dict[str, float]


def _age(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return age_on(born, on)


def _valid_people(organisations: list[int], purpose: str, on: date) -> set[int]:
    return set(
        Consent.objects.valid_on(on)
        .filter(purpose=purpose, subject__organisation_id__in=organisations)
        .values_list("subject_id", flat=True)
    )


def _families(organisations: list[int]) -> dict[int, str]:
    """A family id per person with a guardian link (siblings share one); see
    `profiles.families`, here over whole organisations in one query."""
    return family_ids(
        GuardianLink.objects.filter(organisation_id__in=organisations).values_list(
            "guardian_id", "child_id"
        )
    )


def _slots(values: Any) -> frozenset[str]:
    return frozenset(str(v) for v in values or () if v)


def _as_text(field: str) -> Cast:
    """A JSON column read as its text: the few distinct lists of a base (slots of the week,
    request topics) recur across 200,000 rows, so each distinct text is parsed once
    (`_parsed`) instead of every row going through the JSON field's decoder."""
    return Cast(field, TextField())


def _parsed(parse: Callable[[Any], T]) -> Callable[[Any], T]:
    """`parse`, remembering its answer for each value it met (hashable values only)."""
    return functools.cache(parse)


def _json_list(text: str | None) -> list[Any]:
    value = json.loads(text) if text else None
    return value if isinstance(value, list) else []


def build_region_inputs(
    organisations: Iterable[Organisation], form: MentoringForm, on: date
) -> RegionInputs:
    """The mentees and mentors of `form` in the organisations' approved programmes, plus the
    shared mentors of their municipalities, as the engine sees them. About ten queries."""
    orgs = {o.pk: o for o in organisations}
    org_ids = list(orgs)
    municipalities = {o.municipality_id for o in orgs.values()}
    programmes = dict(
        Programme.objects.filter(
            organisation_id__in=org_ids, status=ProgrammeStatus.APPROVED
        ).values_list("pk", "organisation_id")
    )
    hidden = set(
        Person.objects.filter(organisation_id__in=org_ids)
        .filter(hidden_q(on))
        .values_list("pk", flat=True)
    )
    processing = _valid_people(org_ids, Purpose.PROCESSING, on)
    participation = _valid_people(org_ids, Purpose.PARTICIPATION, on)
    consented = processing & participation
    family = _families(org_ids)
    municipality_of = {pk: str(o.municipality_id) for pk, o in orgs.items()}
    # Parsed once per distinct value (see `_as_text`).
    slots_of = _parsed(lambda text: _slots(_json_list(text)))
    subjects_of = _parsed(lambda text: frozenset(split_list(text or "")))
    age_of = _parsed(lambda born: _age(born, on))
    formats = _parsed(MeetingFormat)
    topics_of = _parsed(
        lambda text: tuple(TOPIC_TERMS[t] for t in _json_list(text) if t in TOPIC_TERMS)
    )

    mentee_rows: dict[int, tuple[int, int, int]] = {}
    mentees: list[MenteeProfile] = []
    for row in (
        Mentee.objects.filter(
            programme_id__in=list(programmes), status=MenteeStatus.IN_BASE, form=form
        )
        .values_list(
            "pk",
            "person_id",
            "programme_id",
            "organisation_id",
            "role_model_id",
            _as_text("topics"),
            "request_text",
            "subjects",
            _as_text("availability"),
            "meeting_format",
            "person__grade",
            "person__birth_date",
        )
        .iterator(chunk_size=20000)
    ):
        pk, person, programme, org, role_model, topics, request, subjects = row[:8]
        availability, meeting_format, grade, born = row[8:]
        if person in hidden:
            continue
        mentee_rows[person] = (pk, programme, org)
        if person not in consented:
            mentees.append(MenteeProfile(id=person, form=form.code, consent_valid=False))
            continue
        mentees.append(
            MenteeProfile(
                id=person,
                form=form.code,
                organisation=str(org),
                municipality=municipality_of[org],
                role_model=str(role_model) if role_model else None,
                topics=topics_of(topics),
                request_text=request,
                subjects=subjects_of(subjects),
                grade=grade,
                age=age_of(born),
                family=family.get(person),
                availability=slots_of(availability),
                meeting_format=formats(meeting_format),
            )
        )

    # Own mentors of the organisations' programmes, and the municipalities' shared mentors
    # (of any organisation of them, in the run or not).
    taking_form = Mentor.forms.through.objects.filter(mentoringform__code=form.code)
    shared_ids = set(
        shareable_mentors(on)
        .filter(organisation__municipality_id__in=municipalities, forms__code=form.code)
        .values_list("pk", flat=True)
    )
    mentor_ids = set(
        taking_form.filter(
            mentor__programme_id__in=list(programmes), mentor__status__in=MATCHED_STATUSES
        ).values_list("mentor_id", flat=True)
    )
    mentor_ids |= shared_ids
    taken = dict(
        MentorshipMentee.objects.filter(
            active=True, mentorship__mentor__organisation__municipality_id__in=municipalities
        )
        .values("mentorship__mentor__person")
        .annotate(n=Count("pk"))
        .values_list("mentorship__mentor__person", "n")
    )
    mentor_rows: dict[int, int] = {}
    mentors: list[MentorProfile] = []
    group = False
    # Read by municipality and form, kept by the ids above: a list of 80,000 ids would not fit
    # a query's parameters. A shared mentor is consented by `shareable_mentors` itself.
    query = Mentor.objects.filter(
        organisation__municipality_id__in=municipalities, forms__code=form.code
    )
    for values in query.values_list(
        "pk",
        "person_id",
        "organisation_id",
        "organisation__municipality_id",
        "status",
        "competencies",
        "subjects",
        "person__subjects",
        _as_text("availability"),
        "meeting_format",
        "experience_years",
        "capacity",
        "leads_group",
        "person__grade",
        "person__birth_date",
    ).iterator(chunk_size=20000):
        pk, person, org, municipality, status, competencies, subjects, own_subjects = values[:8]
        availability, meeting_format, experience, capacity, leads_group, grade, born = values[8:]
        if pk not in mentor_ids or person in hidden:
            continue
        places = capacity - taken.get(person, 0)
        if places <= 0:
            continue
        shared = pk in shared_ids
        mentor_rows[person] = pk
        group = group or leads_group
        if not shared and person not in consented:  # consents of the run's organisations
            mentors.append(
                MentorProfile(id=person, form=form.code, consent_valid=False, capacity=places)
            )
            continue
        mentors.append(
            MentorProfile(
                id=person,
                form=form.code,
                organisation=str(org),
                municipality=str(municipality),
                shared=shared,
                competencies=(competencies,) if competencies else (),
                subjects=subjects_of(subjects or own_subjects),
                grade=grade,
                age=age_of(born),
                family=family.get(person),
                availability=slots_of(availability),
                meeting_format=formats(meeting_format),
                experience_years=float(experience or 0),
                capacity=places,
                eligible=status == MATCHED_STATUSES[0],
            )
        )
    rules = DEFAULT_FORM_RULES.get(form.code, FormRules())
    if group:
        rules = replace(rules, group_size=GROUP_LIMIT)
    return RegionInputs(
        form=form,
        mentees=mentees,
        mentors=mentors,
        constraints=Constraints(forms={form.code: rules}, role_models={}),
        mentee_rows=mentee_rows,
        mentor_rows=mentor_rows,
        programmes=programmes,
        shared=sum(1 for m in mentors if m.shared),
    )


def region_compute(inputs: RegionInputs, weights: dict[str, float] | None = None) -> MatchResult:
    options = engine_options(
        "optimal", "mentee", mentees=len(inputs.mentees), mentors=len(inputs.mentors)
    )
    # No weights given: the engine's defaults, as a new run of the curator starts with.
    chosen = engine_weights(weights) if weights else Weights()
    return run_matching(inputs.mentees, inputs.mentors, chosen, inputs.constraints, options)


@transaction.atomic
def region_write(
    inputs: RegionInputs, result: MatchResult, *, weights: dict[str, float], by: Any = None
) -> RegionRun:
    """One proposed run per programme with mentees in the run, its proposals and the mentees
    it left alone, in bulk."""
    started = time.perf_counter()
    used = {programme for _m, programme, _o in inputs.mentee_rows.values()}
    numbers = dict(
        MatchingRun.objects.filter(programme_id__in=used, form=inputs.form)
        .values("programme_id")
        .annotate(n=Max("number"))
        .values_list("programme_id", "n")
    )
    runs = MatchingRun.objects.bulk_create(
        MatchingRun(
            organisation_id=inputs.programmes[programme],
            programme_id=programme,
            form=inputs.form,
            number=(numbers.get(programme) or 0) + 1,
            mode="optimal",
            weights=weights,
            options={"region": True},
            status=RunStatus.PROPOSED,
            summary={"region": True},
            created_by=by,
        )
        for programme in sorted(used)
    )
    run_of = {run.programme_id: run.pk for run in runs}
    matched: defaultdict[int, int] = defaultdict(int)

    def proposals() -> Iterable[tuple[Any, ...]]:
        for a in result.assignments:
            mentee_pk, programme, org = inputs.mentee_rows[a.mentee_id]  # type: ignore[index]
            matched[programme] += 1
            yield (
                org,
                run_of[programme],
                mentee_pk,
                inputs.mentor_rows[a.mentor_id],  # type: ignore[index]
                a.score.points,
                _JSON.encode(breakdown(a)),
                a.locked,
                False,
            )

    def unmatched() -> Iterable[tuple[Any, ...]]:
        for u in result.unmatched:
            mentee_pk, programme, org = inputs.mentee_rows[u.mentee_id]  # type: ignore[index]
            details = {"funnel": dict(u.funnel)}
            yield (org, run_of[programme], mentee_pk, u.reason.value, json.dumps(details))

    written = _insert(
        Proposal,
        (
            "organisation_id",
            "run_id",
            "mentee_id",
            "mentor_id",
            "score",
            "breakdown",
            "locked",
            "swapped",
        ),
        proposals(),
    )
    left = _insert(
        UnmatchedMentee,
        ("organisation_id", "run_id", "mentee_id", "reason", "details"),
        unmatched(),
    )
    for run in runs:
        run.summary = {"region": True, "matched": matched.get(run.programme_id, 0)}
    MatchingRun.objects.bulk_update(runs, ["summary"], batch_size=WRITE_BATCH)
    return RegionRun(
        runs=runs,
        proposals=written,
        unmatched=left,
        seconds={"write": round(time.perf_counter() - started, 3)},
    )


def _insert(model: Any, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> int:
    """Rows of plain values (JSON already as text) into the model's table: COPY on PostgreSQL,
    which takes 200,000 proposals in seconds where INSERTs take a minute; bulk_create
    elsewhere. The values are the model's columns, so no rule of `save()` is skipped (the
    models have none)."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        count = 0
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    json_fields = {f.attname for f in model._meta.fields if f.get_internal_type() == "JSONField"}
    batch: list[Any] = []
    count = 0
    for row in rows:
        values = {
            c: json.loads(v) if c in json_fields else v for c, v in zip(columns, row, strict=True)
        }
        batch.append(model(**values))
        if len(batch) >= WRITE_BATCH:
            model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)
        count += len(batch)
    return count
