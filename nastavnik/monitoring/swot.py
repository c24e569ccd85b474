"""What the data suggest for the SWOT analysis (DESIGN §5: «helped by what the data show»).

Candidates, each with a stable key (so that a discarded one is not offered again) and the
quadrant it most likely belongs to — the curator decides:
- the highest rated items (strengths) and the lowest (weaknesses), among rated items with at
  least MIN_ANSWERS answers;
- items that fell (weakness) or rose (strength) since the previous round: the previous campaign
  of the same questionnaire kind this year, or the last one of the previous year's programme;
- recurring words in the open answers, in the quadrant the question asks about;
- the curator's own SWOT answers in the conformity questionnaire, line by line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nastavnik.monitoring.models import Quadrant, SwotAnalysis
from nastavnik.monitoring.quality import KINDS, ItemStats, QualityResults, collect
from nastavnik.programmes.models import Programme
from nastavnik.questionnaires.models import Campaign, QuestionnaireKind

EXTREMES = 3
MIN_ANSWERS = 3
# A move of the score (0…1) this large counts as a fall or a rise: half a point on 1–10.
MOVE_AT = 0.5 / 9
# Which quadrant an open question's recurring words belong to, by its code.
OPEN_QUADRANTS = {
    "valuable": Quadrant.STRENGTHS,
    "strengths": Quadrant.STRENGTHS,
    "lacking": Quadrant.WEAKNESSES,
    "weaknesses": Quadrant.WEAKNESSES,
    "continue_why": Quadrant.WEAKNESSES,
    "opportunities": Quadrant.OPPORTUNITIES,
    "expected": Quadrant.OPPORTUNITIES,
    "threats": Quadrant.THREATS,
}
CURATOR_SWOT = {"strengths": "S", "weaknesses": "W", "opportunities": "O", "threats": "T"}


@dataclass(frozen=True)
class Candidate:
    key: str
    quadrant: str
    text: str
    reason: str


def _who(kind: str) -> str:
    return {
        QuestionnaireKind.MENTOR_SATISFACTION: _("mentors"),
        QuestionnaireKind.MENTEE_SATISFACTION: _("mentees"),
        QuestionnaireKind.CURATOR_CONFORMITY: _("curator"),
    }.get(kind, kind)


def _value(item: ItemStats) -> str:
    """«8,4 из 10» for a scale, «75 %» fulfilment for a condition."""
    if item.mean is not None:
        return _("%(mean)s of %(high)s") % {
            "mean": number_format(round(item.mean, 1), decimal_pos=1),
            "high": item.high,
        }
    return f"{round(100 * (item.score or 0))} %"


def _rated(results: QualityResults) -> list[ItemStats]:
    return [i for i in results.rated_items if i.n >= MIN_ANSWERS and i.score is not None]


def _extremes(results: QualityResults) -> list[Candidate]:
    rated = sorted(_rated(results), key=lambda i: (-(i.score or 0), i.kind, i.code))
    # Never the same item at both ends: with few items, half of them each way.
    size = min(EXTREMES, len(rated) // 2)
    top = rated[:size]
    bottom = list(reversed(rated[len(rated) - size :]))
    found = []
    for item in top:
        found.append(
            Candidate(
                key=f"high:{item.kind}:{item.code}",
                quadrant=Quadrant.STRENGTHS,
                text=_("Rated high: «%(item)s» — %(value)s")
                % {"item": item.text, "value": _value(item)},
                reason=_("One of the highest rated items (%(who)s, n = %(n)s).")
                % {"who": _who(item.kind), "n": item.n},
            )
        )
    for item in bottom:
        found.append(
            Candidate(
                key=f"low:{item.kind}:{item.code}",
                quadrant=Quadrant.WEAKNESSES,
                text=_("Rated low: «%(item)s» — %(value)s")
                % {"item": item.text, "value": _value(item)},
                reason=_("One of the lowest rated items (%(who)s, n = %(n)s).")
                % {"who": _who(item.kind), "n": item.n},
            )
        )
    return found


def previous_rounds(programme: Programme) -> dict[str, tuple[int, int]]:
    """For each questionnaire kind with a campaign this year: (latest campaign, the one before
    it) — the one before from this year if there is one, else the previous year's last."""
    this_year: dict[str, list[int]] = {}
    for pk, kind in (
        Campaign.objects.filter(programme=programme, questionnaire__kind__in=KINDS)
        .order_by("created_at", "pk")
        .values_list("pk", "questionnaire__kind")
    ):
        this_year.setdefault(kind, []).append(pk)
    last_year: dict[str, int] = {}
    for pk, kind in (
        Campaign.objects.filter(
            organisation_id=programme.organisation_id,
            programme__academic_year__start_year=programme.academic_year.start_year - 1,
            questionnaire__kind__in=list(this_year),
        )
        .order_by("created_at", "pk")
        .values_list("pk", "questionnaire__kind")
    ):
        last_year[kind] = pk
    rounds = {}
    for kind, pks in this_year.items():
        before = pks[-2] if len(pks) > 1 else last_year.get(kind)
        if before is not None:
            rounds[kind] = (pks[-1], before)
    return rounds


def _moves(programme: Programme) -> list[Candidate]:
    rounds = previous_rounds(programme)
    if not rounds:
        return []
    latest = collect(programme, [now for now, _before in rounds.values()], grouped=False)
    before_ids = [before for _now, before in rounds.values()]
    before_programmes = set(
        Campaign.objects.filter(pk__in=before_ids).values_list("programme_id", flat=True)
    )
    earlier: dict[tuple[str, str], ItemStats] = {}
    for programme_id in before_programmes:
        other = Programme.objects.select_related("academic_year").get(pk=programme_id)
        for item in collect(other, before_ids, grouped=False).rated_items:
            earlier[item.key] = item
    found = []
    for item in _rated(latest):
        was = earlier.get(item.key)
        if was is None or was.score is None or was.n < MIN_ANSWERS or item.score is None:
            continue
        move = item.score - was.score
        if abs(move) < MOVE_AT:
            continue
        values = {"item": item.text, "before": _value(was), "now": _value(item)}
        fell = move < 0
        found.append(
            Candidate(
                key=f"{'fell' if fell else 'rose'}:{item.kind}:{item.code}",
                quadrant=Quadrant.WEAKNESSES if fell else Quadrant.STRENGTHS,
                text=(
                    _("Fell since the previous round: «%(item)s» — %(before)s → %(now)s")
                    if fell
                    else _("Rose since the previous round: «%(item)s» — %(before)s → %(now)s")
                )
                % values,
                reason=_("Compared with the previous campaign of the questionnaire (%(who)s).")
                % {"who": _who(item.kind)},
            )
        )
    return found


def _words(results: QualityResults) -> list[Candidate]:
    found = []
    for question in results.open_questions:
        quadrant = OPEN_QUADRANTS.get(question.code)
        if quadrant is None:
            continue
        for word in question.words[:3]:
            found.append(
                Candidate(
                    key=f"word:{question.kind}:{question.code}:{word.lemma}",
                    quadrant=quadrant,
                    text=_("«%(word)s» in the answers to «%(question)s»")
                    % {"word": word.word, "question": question.text},
                    reason=ngettext(
                        "A recurring word: %(count)s answer uses it (%(who)s).",
                        "A recurring word: %(count)s answers use it (%(who)s).",
                        word.count,
                    )
                    % {"count": word.count, "who": _who(question.kind)},
                )
            )
    return found


def _curator_lines(results: QualityResults) -> list[Candidate]:
    found = []
    for question in results.open_questions:
        quadrant = CURATOR_SWOT.get(question.code)
        if question.kind != QuestionnaireKind.CURATOR_CONFORMITY or quadrant is None:
            continue
        for answer in question.answers:
            for line in (part.strip(" -•\t") for part in answer.splitlines()):
                if not line:
                    continue
                digest = hashlib.sha1(line.encode(), usedforsecurity=False).hexdigest()[:16]
                found.append(
                    Candidate(
                        key=f"curator:{question.code}:{digest}",
                        quadrant=quadrant,
                        text=line,
                        reason=_("From the curator's questionnaire: «%(question)s».")
                        % {"question": question.text},
                    )
                )
    return found


def candidates(
    programme: Programme,
    results: QualityResults | None = None,
    analysis: SwotAnalysis | None = None,
) -> list[Candidate]:
    """Every candidate of the programme's data not yet accepted or discarded."""
    results = results if results is not None else collect(programme, grouped=False)
    found = _extremes(results) + _moves(programme) + _words(results) + _curator_lines(results)
    if analysis is None:
        analysis = SwotAnalysis.objects.filter(programme=programme).first()
    settled: set[str] = set()
    if analysis is not None:
        settled = set(
            analysis.items.exclude(candidate_key="").values_list("candidate_key", flat=True)
        )
        settled |= set(analysis.discards.values_list("candidate_key", flat=True))
    unique: dict[str, Candidate] = {}
    for candidate in found:
        if candidate.key not in settled:
            unique.setdefault(candidate.key, candidate)
    return list(unique.values())


def candidate_keys(found: Iterable[Candidate]) -> dict[str, Candidate]:
    return {c.key: c for c in found}
