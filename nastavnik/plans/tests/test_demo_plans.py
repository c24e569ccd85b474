"""The demo's plans: drawn up from the typical plan, what fell due done with results, one item
overdue in the demo mentor's pair, the curator's contact and comment there."""

from __future__ import annotations

from nastavnik.demo.plans import build_plans
from nastavnik.people.validators import org_today
from nastavnik.plans.models import DevelopmentPlan, PlanComment, PlanItem
from nastavnik.plans.tests.data import TYPICAL, two_pairs


def test_the_demo_plans(tenant_a):
    ours, theirs = two_pairs(tenant_a)
    programme = ours.mentorship.programme
    today = org_today(tenant_a.organisation)

    build_plans(programme, [], {"mentor": ours.mentor, "curator": None}, today)

    assert DevelopmentPlan.objects.count() == 2
    overdue = list(PlanItem.objects.overdue(today))
    assert [item.plan.mentorship for item in overdue] == [ours.mentorship]
    done = PlanItem.objects.filter(plan__mentorship=theirs.mentorship, status="done")
    assert done.count() >= 2 and all(item.result for item in done)
    texts = set(
        PlanItem.objects.filter(plan__mentorship=theirs.mentorship).values_list("text", flat=True)
    )
    assert {text for _, text, _ in TYPICAL} <= texts
    ours_plan = ours.mentorship.plan
    assert ours_plan.mentor_contact
    assert PlanComment.objects.filter(plan=ours_plan).exists()
