"""The demo's stage 5: a confirmed run with its signed order, two mentees on support, the demo
mentor with the demo mentee, and a second form still waiting for the curator."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from nastavnik.demo.tests.factories import current_programme, demo_for_the_module
from nastavnik.matching.models import MatchingRun, RunStatus
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.orders.models import OrderStatus
from nastavnik.people.models import Person

demo_seeded = demo_for_the_module()


@pytest.fixture
def demo(demo_seeded, db):
    current = current_programme()
    return MatchingRun.objects.select_related("order", "form", "programme").get(
        programme=current, status=RunStatus.CONFIRMED
    )


def test_one_form_is_confirmed_and_its_order_signed_in_october(demo):
    run = demo
    assert run.status == RunStatus.CONFIRMED
    assert run.order.status == OrderStatus.SIGNED
    year_start = run.programme.academic_year.starts_on
    assert run.order.date <= date(year_start.year, 10, 15)
    mentorships = Mentorship.objects.filter(matching_run=run)
    assert mentorships.count() >= 5
    assert set(mentorships.values_list("pairs_order", flat=True)) == {run.order_id}
    assert all(m.mode == run.mode and m.weights == run.weights for m in mentorships)
    paired = MentorshipMentee.objects.filter(mentorship__matching_run=run).values("mentee")
    assert not Mentee.objects.filter(pk__in=paired).exclude(status=MenteeStatus.PAIRED).exists()


def test_two_mentees_are_left_without_a_mentor_and_supported(demo):
    alone = list(demo.unmatched.select_related("mentee"))
    assert len(alone) == 2
    for unmatched in alone:
        assert unmatched.mentee.support_needed
        assert unmatched.mentee.status == MenteeStatus.IN_BASE


def test_the_demo_mentor_mentors_the_demo_mentee(demo):
    from nastavnik.demo.seed import LOGINS

    emails = {login.key: login.email for login in LOGINS}
    mentor = Person.objects.get(user__email=emails["mentor"], organisation__slug="school-5")
    mentee = Person.objects.get(user__email=emails["mentee"], organisation__slug="school-5")
    assert MentorshipMentee.objects.filter(
        mentorship__mentor__person=mentor, mentee__person=mentee, active=True
    ).exists()


def test_a_second_form_still_waits_for_the_curator(demo):
    waiting = Mentee.objects.filter(
        programme=demo.programme, status=MenteeStatus.IN_BASE, support_needed=False
    ).exclude(form=demo.form)
    assert waiting.exists()
    # Its runs are proposals only: nothing of that form is confirmed.
    others = MatchingRun.objects.filter(programme=demo.programme).exclude(form=demo.form)
    assert set(others.values_list("status", flat=True)) == {RunStatus.PROPOSED}


def test_the_waiting_form_shows_two_modes_that_propose_different_pairs(client, demo):
    from nastavnik.accounts.models import User
    from nastavnik.demo.seed import LOGINS
    from nastavnik.matching.texts import MODES_EXPLAINED
    from nastavnik.programmes.models import ProgrammeForm

    runs = list(
        MatchingRun.objects.filter(programme=demo.programme)
        .exclude(form=demo.form)
        .order_by("number")
    )
    assert [run.mode for run in runs] == ["optimal", "stable"]
    optimal, stable = runs
    pairs = [set(run.proposals.values_list("mentee_id", "mentor_id")) for run in runs]
    assert pairs[0] != pairs[1]
    assert stable.summary["blocking_pairs"] == 0
    assert optimal.summary["total_points"] >= stable.summary["total_points"]

    curator = next(login for login in LOGINS if login.key == "curator")
    client.force_login(User.objects.get(email=curator.email))
    chosen = ProgrammeForm.objects.get(programme=demo.programme, form=optimal.form)
    page = client.get(
        reverse(
            "matching:compare",
            kwargs={"org_slug": demo.organisation.slug, "programme_form_pk": chosen.pk},
        ),
        {"a": optimal.pk, "b": stable.pk},
    )
    content = page.content.decode()
    assert page.context["differences"]
    assert str(MODES_EXPLAINED) in content
    assert any("устойчив" in line for line in page.context["tradeoff"])


def test_the_curator_sees_the_run_and_the_pairs(client, demo):
    from nastavnik.demo.seed import LOGINS

    curator = next(login for login in LOGINS if login.key == "curator")
    from nastavnik.accounts.models import User

    client.force_login(User.objects.get(email=curator.email))
    slug = demo.organisation.slug
    assert client.get(reverse("matching:index", kwargs={"org_slug": slug})).status_code == 200
    assert client.get(demo.get_absolute_url()).status_code == 200
    listing = client.get(reverse("mentorships:list", kwargs={"org_slug": slug}))
    assert (
        len(listing.context["mentorships"]) == Mentorship.objects.filter(matching_run=demo).count()
    )


def test_the_chooser_opens_the_cabinet_and_sees_three_mentors_with_reasons(demo, client):
    from nastavnik.accounts.models import User
    from nastavnik.matching.models import SelfMatchWindow

    run = demo
    window = SelfMatchWindow.objects.get(programme_form__programme=run.programme, enabled=True)
    assert window.suggestions == 3
    client.force_login(User.objects.get(email="chooser@school5.demo"))
    page = client.get(reverse("cabinets:mentee", kwargs={"org_slug": "school-5"}))
    suggestions = page.context["choices"][0].suggestions
    assert len(suggestions) == 3
    assert all(s.reasons for s in suggestions)
    assert page.content.decode().count('class="suggestion"') == 3


def _filled(form) -> dict:
    """The POST a person sends who accepts the form as the page offers it."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        data[name] = getattr(value, "pk", value)
    return data


def test_the_chooser_asks_the_mentor_answers_from_the_notifications_the_curator_approves(
    demo, client, django_capture_on_commit_callbacks, mailoutbox
):
    from nastavnik.accounts.models import User
    from nastavnik.matching.models import SelfMatchRequest, SelfMatchStatus
    from nastavnik.notifications.models import Notification

    slug = {"org_slug": "school-5"}
    chooser = User.objects.get(email="chooser@school5.demo")
    mentor = User.objects.get(email="chosen.mentor@school5.demo")
    guardian = User.objects.get(email="chooser.parent@school5.demo")
    curator = User.objects.get(email="curator@school5.demo")

    client.force_login(chooser)
    choice = client.get(reverse("cabinets:mentee", kwargs=slug)).context["choices"][0]
    first = choice.suggestions[0]
    assert first.mentor.person.user == mentor
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cabinets:selfmatch_ask", kwargs=slug),
            {
                "mentee": choice.mentee.pk,
                "mentor": first.mentor.pk,
                "message": "Хочу в робототехнику",
            },
        )
    asked = SelfMatchRequest.objects.get(mentee=choice.mentee)

    # The mentor finds the request among the notifications and answers it in the cabinet.
    client.force_login(mentor)
    listed = client.get(reverse("notifications:list", kwargs=slug))
    assert "Запрос наставнику" in listed.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cabinets:selfmatch_answer", kwargs=slug),
            {"request": asked.pk, "answer": "accept"},
        )
    asked.refresh_from_db()
    assert asked.status == SelfMatchStatus.ACCEPTED

    # The curator, told of the acceptance, approves: the pair and its order are made.
    client.force_login(curator)
    assert Notification.objects.filter(recipient=curator, kind="selfmatch.answered").exists()
    url = reverse("matching:selfmatch_approve", kwargs={**slug, "selfmatch_request_pk": asked.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _filled(client.get(url).context["form"]))
    asked.refresh_from_db()
    assert asked.status == SelfMatchStatus.APPROVED
    assert asked.mentorship.pairs_order.status == OrderStatus.DRAFT

    # Everyone involved has it in the app; the guardian of the minor too, and by mail.
    for user, kinds in (
        (mentor, {"selfmatch.requested", "selfmatch.approved"}),
        (chooser, {"selfmatch.answered", "selfmatch.approved"}),
        (guardian, {"selfmatch.requested", "selfmatch.answered", "selfmatch.approved"}),
    ):
        got = set(Notification.objects.filter(recipient=user).values_list("kind", flat=True))
        assert kinds <= got, (user.email, got)
    assert any(guardian.email in message.to for message in mailoutbox)
