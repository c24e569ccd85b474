"""Rows behind the monitoring URLs, for the project-wide isolation test."""

from nastavnik.monitoring import services
from nastavnik.orgs.models import Organisation
from nastavnik.programmes.models import Programme
from nastavnik.programmes.tests.data import programme as make_programme


def _swot_item(org: Organisation) -> int:
    programme = Programme.objects.filter(organisation=org).first() or make_programme(
        org, roadmap=False
    )
    return services.item_add(programme, "S", "Сильная команда наставников", by=None).pk


ROW_MAKERS = {
    "swot_item_pk": _swot_item,
}
