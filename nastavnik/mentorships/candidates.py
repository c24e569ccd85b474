"""Who could take a pair or group over when its mentor is replaced: the mentors the replacement
allows (`services.replacement_eligible`: registered in the programme's registry, taking its form,
with consent) and a free place for all its mentees, ranked by the matching engine for these
mentees, with the points the engine gives each pair.

A mentor the engine rules out for a hard rule (no common slot, not older than a mentee of
«ученик – ученик», a relative…) is still listed, after the suggested ones and without points:
the curator replaces a mentor for reasons the engine does not know, and decides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from nastavnik.matching.compute import engine_weights
from nastavnik.matching.profiles import (
    families,
    mentee_profile,
    mentee_profile_annotations,
    mentor_profile,
    mentor_profile_annotations,
    role_models_of,
)
from nastavnik.matching_engine import Constraints, EngineInputError, RunOptions, Weights
from nastavnik.matching_engine.engine import prepare_run
from nastavnik.matching_engine.model import (
    DEFAULT_FORM_RULES,
    DEFAULT_ROLE_MODEL_RULES,
    FormRules,
)
from nastavnik.mentees.models import Mentee
from nastavnik.mentors.models import GROUP_LIMIT, Mentor
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.mentorships.services import capacity_of, replacement_eligible


@dataclass(frozen=True)
class Suggestion:
    mentor: Mentor
    #: The engine's points for the pair (the mean over a group's mentees); None when the engine
    #: rules the mentor out for these mentees.
    points: int | None
    free: int

    @property
    def suggested(self) -> bool:
        return self.points is not None


def _mentees(mentorship: Mentorship, on: date) -> list[Mentee]:
    return list(
        Mentee.objects.filter(
            pk__in=MentorshipMentee.objects.filter(mentorship=mentorship, active=True).values(
                "mentee"
            )
        )
        .select_related("person", "role_model")
        .annotate(**mentee_profile_annotations(mentorship.programme_id, on))
        .order_by("person__name_key", "pk")
    )


def _mentors(mentorship: Mentorship, on: date, needed: int) -> list[Mentor]:
    """The eligible mentors with room for all the mentees (a group only for a group mentor)."""
    found = (
        replacement_eligible(mentorship, on)
        .select_related("person")
        .annotate(**mentor_profile_annotations(mentorship.programme_id, on))
        .order_by("person__name_key", "pk")
    )
    return [
        m
        for m in found
        if capacity_of(m) - m.active_mentees >= needed  # type: ignore[attr-defined]
        and (needed == 1 or m.leads_group)
    ]


def _constraints(mentorship: Mentorship, mentees: list[Mentee], any_results: bool) -> Constraints:
    rules = DEFAULT_FORM_RULES.get(mentorship.form.code, FormRules())
    if len(mentees) > 1:
        rules = replace(rules, group_size=GROUP_LIMIT)
    role_models = {}
    for mentee in mentees:
        default = (
            DEFAULT_ROLE_MODEL_RULES.get(mentee.role_model.name) if mentee.role_model else None
        )
        # Without any mentor's mark a results rule would rule out everyone (as in a run).
        if default is not None and any_results:
            role_models[str(mentee.role_model_id)] = default
    return Constraints(forms={mentorship.form.code: rules}, role_models=role_models)


def replacement_candidates(mentorship: Mentorship, on: date) -> list[Suggestion]:
    """The mentors who could take the pair or group over on `on`, the engine's best first."""
    mentees = _mentees(mentorship, on)
    if not mentees:
        return []
    mentors = _mentors(mentorship, on, len(mentees))
    if not mentors:
        return []
    code = mentorship.form.code
    family = families({m.person_id for m in mentees} | {m.person_id for m in mentors})
    role_models = role_models_of(mentors, mentorship.form_id)
    free = {m.pk: capacity_of(m) - m.active_mentees for m in mentors}  # type: ignore[attr-defined]
    mentor_ids = {m.person_id for m in mentors}
    mentee_ids = {m.person_id for m in mentees}
    mentee_profiles = []
    for m in mentees:
        profile = mentee_profile(m, code, on, family[m.person_id])
        mentee_profiles.append(
            replace(profile, preferences=tuple(p for p in profile.preferences if p in mentor_ids))
        )
    mentor_profiles = []
    for candidate in mentors:
        # Room for exactly these mentees: the ranking needs no more, and a group mentor's
        # larger capacity would break the limit of a pair form the engine checks.
        candidate_profile = mentor_profile(
            candidate,
            code,
            on,
            family[candidate.person_id],
            role_models.get(candidate.pk, frozenset()),
            len(mentees),
        )
        mentor_profiles.append(
            replace(
                candidate_profile,
                preferences=tuple(p for p in candidate_profile.preferences if p in mentee_ids),
            )
        )
    weights = engine_weights(mentorship.weights) if mentorship.weights else Weights()
    any_results = any(p.results is not None for p in mentor_profiles)
    points: dict[int, list[int]] = {}
    try:
        prepared = prepare_run(
            mentee_profiles,
            mentor_profiles,
            weights,
            _constraints(mentorship, mentees, any_results),
            RunOptions(top_k=len(mentor_profiles)),
            {},
        )
    except EngineInputError:
        prepared = None  # the mentees' data do not allow a suggestion: all listed unranked
    if prepared is not None:
        graph = prepared.graph
        for j, value in zip(graph.mentor.tolist(), graph.points.tolist(), strict=True):
            points.setdefault(j, []).append(int(value))
    found = [
        Suggestion(
            mentor=mentor,
            # Only a mentor the engine accepts for every mentee is suggested.
            points=round(sum(points[j]) / len(points[j]))
            if len(points.get(j, ())) == len(mentees)
            else None,
            free=free[mentor.pk],
        )
        for j, mentor in enumerate(mentors)
    ]
    return sorted(
        found,
        key=lambda s: (s.points is None, -(s.points or 0), s.mentor.person.name_key),
    )
