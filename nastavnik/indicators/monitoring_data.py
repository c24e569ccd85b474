"""What the indicators take from the monitoring app: satisfaction by form (stage 1) and the
change of each parameter between entry and exit (stage 2), as plain rows for charts, the
report and the XLSX."""

from __future__ import annotations

from dataclasses import dataclass

from nastavnik.assessments.models import Parameter
from nastavnik.indicators.numbers import number_text
from nastavnik.monitoring.impact import ImpactResults
from nastavnik.monitoring.quality import QualityResults
from nastavnik.questionnaires.models import QuestionType


@dataclass(frozen=True)
class SatisfactionRow:
    label: str
    mean: float  # on the 1–10 scale
    answers: int
    respondents: int

    @property
    def mean_text(self) -> str:
        return number_text(self.mean, 1)


def satisfaction_by_form(quality: QualityResults) -> list[SatisfactionRow]:
    """The mean of the 1–10 ratings of mentors and mentees in each form (weighted by answers)."""
    rows = []
    for group in quality.by_form:
        total = count = 0.0
        for questionnaire in group.questionnaires:
            for item in questionnaire.items:
                if item.type == QuestionType.SCALE and item.mean is not None and item.n:
                    total += item.mean * item.n
                    count += item.n
        if count:
            rows.append(
                SatisfactionRow(group.label, round(total / count, 2), int(count), group.respondents)
            )
    return rows


@dataclass(frozen=True)
class ImpactRow:
    label: str
    n: int  # participants with both measures
    before: float
    after: float
    reading: str
    # The means as shares of the parameter's scale (0–100), so that parameters on different
    # scales share one chart honestly.
    before_share: float
    after_share: float

    @property
    def change(self) -> float:
        return round(self.after - self.before, 2)

    @property
    def change_text(self) -> str:
        return f"{self.change:+.2f}".replace(".", ",").replace("-", "−")


def impact_rows(impact: ImpactResults) -> list[ImpactRow]:
    """The mean at entry and at exit of each parameter, over the participants measured both
    times (the same people as the test), with the monitoring's own reading. One query (the
    parameters' scales)."""
    scales = {
        pk: (float(low), float(high))
        for pk, low, high in Parameter.objects.filter(
            pk__in=[p.pk for p in impact.parameters]
        ).values_list("pk", "scale_min", "scale_max")
    }
    readings = {found.parameter.pk: found.reading for found in impact.overall}
    rows = []
    for index, parameter in enumerate(impact.parameters):
        pairs = [
            (float(change.entry), float(change.exit))
            for participant in impact.participants
            if (change := participant.changes[index]).entry is not None and change.exit is not None
        ]
        if not pairs:
            continue
        before = sum(entry for entry, _exit in pairs) / len(pairs)
        after = sum(exit_ for _entry, exit_ in pairs) / len(pairs)
        low, high = scales.get(parameter.pk, (0.0, 0.0))
        span = high - low

        def share(value: float, low: float = low, span: float = span) -> float:
            return round(100 * (value - low) / span, 1) if span > 0 else 0.0

        unit = parameter.unit if parameter.unit and parameter.unit not in parameter.name else ""
        label = f"{parameter.name}, {unit}" if unit else parameter.name
        rows.append(
            ImpactRow(
                label=label,
                n=len(pairs),
                before=round(before, 2),
                after=round(after, 2),
                reading=readings.get(parameter.pk, ""),
                before_share=share(before),
                after_share=share(after),
            )
        )
    return rows
