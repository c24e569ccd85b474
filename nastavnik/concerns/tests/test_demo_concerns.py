"""The demo's concern: the demo mentee's urgent request for another mentor, at the top of the
curator's dashboard, unseen by the mentor it is about."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from nastavnik.concerns.models import Concern, ReporterKind, Topic
from nastavnik.demo.concerns import build_concerns
from nastavnik.orgs.models import Role
from nastavnik.people.validators import org_today
from nastavnik.plans.tests.data import two_pairs


def test_the_demo_concern_tops_the_curators_dashboard(client, tenant_a):
    ours, _theirs = two_pairs(tenant_a)
    org = tenant_a.organisation

    build_concerns(ours.mentorship.programme, [], {"mentee": ours.mentee}, org_today(org))

    concern = Concern.objects.get()
    assert (concern.reporter, concern.reporter_kind, concern.topic, concern.urgent) == (
        ours.mentee,
        ReporterKind.MENTEE,
        Topic.REPLACEMENT,
        True,
    )
    assert concern.mentorship == ours.mentorship and concern.about == ours.mentor
    assert mail.outbox == []
    client.force_login(tenant_a.user(Role.CURATOR))
    dashboard = client.get(reverse("orgs:dashboard", kwargs={"org_slug": org.slug}))
    assert dashboard.context["concerns_open"] == [concern]
    client.force_login(ours.mentee_user)
    own = client.get(reverse("concerns:own_list", kwargs={"org_slug": org.slug}))
    assert list(own.context["concerns"]) == [concern]
    client.force_login(ours.mentor_user)
    page = client.get(concern.get_absolute_url())
    assert page.status_code == 403


def test_no_concern_without_the_demo_mentee(tenant_a):
    ours, _theirs = two_pairs(tenant_a)

    build_concerns(
        ours.mentorship.programme, [], {"mentee": None}, org_today(tenant_a.organisation)
    )

    assert not Concern.objects.exists()
