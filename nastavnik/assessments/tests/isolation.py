"""Rows behind the assessment URLs, for the project-wide isolation test."""

from decimal import Decimal

from nastavnik.assessments.models import Measure, Parameter, Phase
from nastavnik.mentees.tests.factories import programme_of, student, this_year
from nastavnik.orgs.models import Organisation


def _measure(org: Organisation) -> int:
    programme = programme_of(org, this_year() - 1)
    return Measure.objects.create(
        organisation=org,
        programme=programme,
        person=student(org),
        parameter=Parameter.objects.get(code="engagement", organisation__isnull=True),
        phase=Phase.ENTRY,
        value=Decimal(5),
        measured_on=programme.academic_year.starts_on,
    ).pk


def _parameter(org: Organisation) -> int:
    return Parameter.objects.create(
        organisation=org,
        code=f"own_{org.pk}",
        name=f"Своя шкала {org.pk}",
        scale_min=Decimal(0),
        scale_max=Decimal(5),
    ).pk


ROW_MAKERS = {
    "measure_pk": _measure,
    "parameter_pk": _parameter,
}
