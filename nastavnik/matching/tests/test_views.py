"""The curator's matching pages, through the doors a curator uses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from nastavnik.matching import services
from nastavnik.matching.models import MatchingRun, Proposal, RunStatus
from nastavnik.matching.tests.data import mentee, snapshot, world
from nastavnik.matching.texts import criterion_label, reason_text
from nastavnik.mentees.models import MenteeStatus
from nastavnik.mentorships.models import Mentorship
from nastavnik.orders.services import default_signatory
from nastavnik.orgs.models import Role
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import ProgrammeForm
from nastavnik.programmes.tests.data import builtin_form


def url(name: str, org, **kwargs) -> str:
    return reverse(f"matching:{name}", kwargs={"org_slug": org.slug, **kwargs})


def weights_post(**overrides) -> dict:
    post = {f"weight_{c}": w for c, w in services.RunSettings().weight_map.items()}
    post.update({"mode": "optimal", "proposer": "mentee", "require_common_slot": "on"})
    post.update(overrides)
    return post


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def curator(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))
    return client


def test_the_curator_runs_reads_locks_reruns_compares_and_confirms(curator, tenant_a):
    org = tenant_a.organisation
    w = world(org)

    index = curator.get(url("index", org))
    assert index.status_code == 200
    assert index.context["forms"][0].waiting == 3

    new = url("run_new", org, programme_form_pk=w.chosen_pk())
    assert curator.get(new).status_code == 200
    response = curator.post(new, weights_post(), follow=True)
    run = MatchingRun.objects.get()
    assert response.redirect_chain[-1][0] == run.get_absolute_url()
    page = response.content.decode()
    # The explanation in the curator's words: criteria, and why one mentee was left alone.
    assert criterion_label("requests") in page
    assert reason_text("all_mentors_full") in page
    assert "ОГЭ" in page

    pair = run.proposals.first()
    curator.post(reverse("matching:lock", kwargs={"org_slug": org.slug, "proposal_pk": pair.pk}))
    assert Proposal.objects.get(pk=pair.pk).locked

    rerun = curator.post(f"{new}?from={run.pk}", {**weights_post(), "source": run.pk})
    again = MatchingRun.objects.get(number=2)
    assert rerun["Location"] == again.get_absolute_url()
    assert again.source == run
    assert again.proposals.get(mentee=pair.mentee).mentor == pair.mentor

    compare = curator.get(
        url("compare", org, programme_form_pk=w.chosen_pk()), {"a": run.pk, "b": again.pk}
    )
    assert compare.status_code == 200
    assert compare.context["a"] == run and compare.context["b"] == again

    confirm_url = url("confirm", org, matching_run_pk=again.pk)
    # The form's pairs of this year start as virtual mentoring, and the page says so.
    ProgrammeForm.objects.filter(pk=w.chosen_pk()).update(default_kind="virtual")
    form = curator.get(confirm_url)
    assert form.status_code == 200 and not form.context["stale"]
    assert (
        gettext(
            "The pairs start as %(kind)s mentoring, the form's default of the year, and a group as "
            "group mentoring; the kind of each can be changed on its card."
        )
        % {"kind": gettext("Virtual (remote)").lower()}
        in form.content.decode()
    )
    today = org_today(org)
    response = curator.post(
        confirm_url,
        {
            "started_on": today.isoformat(),
            "planned_end": (today + timedelta(days=200)).isoformat(),
            "number": "12-о",
            "date": today.isoformat(),
            "signatory": default_signatory(org).pk,
        },
        follow=True,
    )
    again.refresh_from_db()
    assert again.status == RunStatus.CONFIRMED
    assert again.order.number == "12-о"
    assert Mentorship.objects.filter(matching_run=again).count() == 2
    assert set(Mentorship.objects.values_list("kind", flat=True)) == {"virtual"}
    assert gettext("The pairs are confirmed and the order № %(number)s is prepared.") % {
        "number": "12-о"
    } in messages_of(response)

    listing = curator.get(reverse("mentorships:list", kwargs={"org_slug": org.slug}))
    assert len(listing.context["mentorships"]) == 2
    made = Mentorship.objects.first()
    card = curator.get(made.get_absolute_url())
    assert card.status_code == 200
    assert made.mentor.person.full_name in card.content.decode()


def test_bad_weights_are_shown_on_the_form_and_nothing_is_made(curator, tenant_a):
    org = tenant_a.organisation
    w = world(org)
    new = url("run_new", org, programme_form_pk=w.chosen_pk())
    before = snapshot()

    zero = curator.post(
        new, weights_post(**{f"weight_{c}": 0 for c in services.RunSettings().weight_map})
    )
    negative = curator.post(new, weights_post(weight_subjects=-2))

    assert zero.status_code == negative.status_code == 200
    assert gettext("All weights are zero: give at least one criterion a weight above zero.") in (
        zero.context["form"].non_field_errors()
    )
    assert negative.context["form"].errors["weight_subjects"]
    assert snapshot() == before


def test_a_mentee_without_a_form_is_named_on_the_index_and_the_run_form(curator, tenant_a):
    org = tenant_a.organisation
    w = world(org)
    formless = mentee(w.programme, form=None)

    index = curator.get(url("index", org))
    assert index.context["without_form"] == [formless]
    response = curator.post(url("run_new", org, programme_form_pk=w.chosen_pk()), weights_post())

    errors = " ".join(response.context["form"].non_field_errors())
    assert formless.person.full_name in errors
    assert not MatchingRun.objects.exists()


def test_swap_page_lists_candidates_and_refuses_a_full_mentor(curator, tenant_a):
    org = tenant_a.organisation
    w = world(org, mentees=2, mentors=2)
    run = services.run_start(
        w.programme, builtin_form("student-student"), services.RunSettings(), by=None
    )
    first, second = run.proposals.order_by("pk")
    swap = reverse("matching:swap", kwargs={"org_slug": org.slug, "proposal_pk": first.pk})

    page = curator.get(swap)
    assert {c.mentor for c in page.context["candidates"]} == set(w.mentors)
    before = snapshot()
    refused = curator.post(swap, {"mentor": second.mentor_id})

    assert refused.status_code == 200
    assert second.mentor.person.full_name in " ".join(refused.context["form"].non_field_errors())
    assert snapshot() == before


def test_exclude_moves_the_mentee_to_those_left_alone(curator, tenant_a):
    org = tenant_a.organisation
    w = world(org, mentees=1, mentors=1)
    run = services.run_start(
        w.programme, builtin_form("student-student"), services.RunSettings(), by=None
    )
    pair = run.proposals.get()

    curator.post(reverse("matching:exclude", kwargs={"org_slug": org.slug, "proposal_pk": pair.pk}))

    assert not run.proposals.exists()
    assert run.unmatched.get().reason == "pair_excluded"
    page = curator.get(run.get_absolute_url())
    assert reason_text("pair_excluded") in page.content.decode()


def test_confirming_a_stale_run_shows_why_and_changes_nothing(curator, tenant_a):
    org = tenant_a.organisation
    w = world(org)
    run = services.run_start(
        w.programme, builtin_form("student-student"), services.RunSettings(), by=None
    )
    mentee(w.programme)  # a new mentee arrives after the run
    confirm_url = url("confirm", org, matching_run_pk=run.pk)

    page = curator.get(confirm_url)
    assert page.context["stale"]
    before = snapshot()
    today = org_today(org)
    response = curator.post(
        confirm_url,
        {
            "started_on": today.isoformat(),
            "planned_end": (today + timedelta(days=100)).isoformat(),
            "number": "5-о",
            "date": today.isoformat(),
            "signatory": default_signatory(org).pk,
        },
    )

    assert (
        gettext(
            "The bases changed since this run was made (new or changed mentees or mentors, "
            "consents, pairs formed meanwhile): run it again and confirm the new run."
        )
        in response.context["form"].non_field_errors()
    )
    assert snapshot() == before
    assert all(m.status == MenteeStatus.IN_BASE for m in w.mentees)


@pytest.mark.parametrize("role", [Role.MENTOR, Role.MENTEE, Role.SPECIALIST, Role.GUARDIAN])
def test_members_without_the_right_are_turned_away(client, tenant_a, role):
    org = tenant_a.organisation
    w = world(org, mentees=1, mentors=1)
    client.force_login(tenant_a.user(role))
    before = snapshot()

    assert client.get(url("index", org)).status_code == 403
    assert (
        client.post(
            url("run_new", org, programme_form_pk=w.chosen_pk()), weights_post()
        ).status_code
        == 403
    )
    assert client.get(reverse("mentorships:list", kwargs={"org_slug": org.slug})).status_code == 403
    assert snapshot() == before


def test_another_organisations_proposal_is_not_found(client, tenant_a, tenant_b):
    w = world(tenant_a.organisation, mentees=1, mentors=1)
    run = services.run_start(
        w.programme, builtin_form("student-student"), services.RunSettings(), by=None
    )
    pair = run.proposals.get()
    client.force_login(tenant_b.user(Role.CURATOR))
    before = snapshot()

    for name in ("lock", "exclude", "swap"):
        address = reverse(
            f"matching:{name}",
            kwargs={"org_slug": tenant_b.organisation.slug, "proposal_pk": pair.pk},
        )
        assert client.post(address, {"mentor": w.mentors[0].pk}).status_code == 404
    assert snapshot() == before


def _runs(w, count: int) -> MatchingRun:
    run = None
    for _ in range(count):
        run = services.run_start(
            w.programme, builtin_form("student-student"), services.RunSettings(), by=None
        )
    return run


@pytest.mark.parametrize("rows", [1, 3])
def test_the_index_queries_do_not_grow(curator, tenant_a, django_assert_num_queries, rows):
    w = world(tenant_a.organisation, mentees=rows, mentors=rows)
    _runs(w, rows)
    mentee(w.programme, form=None)

    with django_assert_num_queries(11):
        response = curator.get(url("index", tenant_a.organisation))
    assert len(response.context["forms"][0].runs) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_the_run_page_queries_do_not_grow(curator, tenant_a, django_assert_num_queries, rows):
    w = world(tenant_a.organisation, mentees=2 * rows, mentors=rows)
    run = _runs(w, 1)
    assert run.proposals.count() == rows and run.unmatched.count() == rows

    with django_assert_num_queries(12):
        response = curator.get(run.get_absolute_url())
    assert len(response.context["proposals"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_the_list_of_pairs_queries_do_not_grow(curator, tenant_a, django_assert_num_queries, rows):
    w = world(tenant_a.organisation, mentees=rows, mentors=rows)
    run = _runs(w, 1)
    today = org_today(tenant_a.organisation)
    services.run_confirm(
        run,
        order=services.OrderDetails("1-п", today, default_signatory(tenant_a.organisation)),
        started_on=today,
        planned_end=today + timedelta(days=100),
        by=None,
    )

    with django_assert_num_queries(10):
        response = curator.get(
            reverse("mentorships:list", kwargs={"org_slug": tenant_a.organisation.slug})
        )
    assert len(response.context["mentorships"]) == rows


def test_a_run_in_the_background_is_followed_by_its_page(curator, tenant_a, settings):
    settings.MATCHING_INLINE_MENTEES = 0
    w = world(tenant_a.organisation, mentees=1, mentors=1)
    run = services.run_start(
        w.programme, builtin_form("student-student"), services.RunSettings(), by=None
    )
    assert run.is_running

    page = curator.get(run.get_absolute_url())
    partial = curator.get(run.get_absolute_url(), HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert partial.templates[0].name == "matching/_running.html"
