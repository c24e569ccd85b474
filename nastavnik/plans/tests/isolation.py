"""Rows behind the plan URLs, for the project-wide isolation test: an item (with an evidence
file, so the file view refuses for the tenancy and not for a missing file) in the plan of the
pair the matching's maker builds."""

from django.core.files.base import ContentFile

from nastavnik.matching.tests.isolation import proposed_run
from nastavnik.orgs.models import Organisation
from nastavnik.plans.models import DevelopmentPlan, PlanItem

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def plan_item(org: Organisation) -> PlanItem:
    mentorship = proposed_run(org).mentorships.first()
    plan, _ = DevelopmentPlan.objects.get_or_create(
        mentorship=mentorship, defaults={"organisation": org}
    )
    existing = plan.items.first()
    if existing is not None:
        return existing
    item = PlanItem(organisation=org, plan=plan, text="Подготовить проект", due_on=None)
    item.evidence.save(f"plans/{org.pk}/evidence/test.pdf", ContentFile(PDF), save=False)
    item.save()
    return item


ROW_MAKERS = {"plan_item_pk": lambda org: plan_item(org).pk}
