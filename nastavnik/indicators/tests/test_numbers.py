"""One rounding rule for a mean: the table, the chart, the card and the report show the same
digits (a satisfaction of 8.05 once read «8,1» in the table and «8,0» in the chart)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from nastavnik.indicators import charts, figures, report
from nastavnik.indicators.monitoring_data import SatisfactionRow


@pytest.mark.parametrize(
    ("mean", "shown"), [(8.05, "8,1"), (8.04, "8,0"), (2.45, "2,5"), (9.95, "10,0"), (7.0, "7,0")]
)
def test_a_mean_reads_the_same_in_the_table_the_chart_the_card_and_the_report(mean, shown):
    row = SatisfactionRow("Учитель – учитель", mean, 20, 10)
    with translation.override("ru"):
        table = Template("{{ row.mean_text }}").render(Context({"row": row}))
        assert table == shown
        assert charts._num(mean, 1) == shown
        assert figures.mean_text(mean) == shown
        assert report._number(mean) == shown
