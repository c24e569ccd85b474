"""The demo school's programme, and the walk the issue asks for, as the demo curator."""

from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.urls import reverse

from nastavnik.accounts.models import User
from nastavnik.demo.tests.factories import demo_for_the_module
from nastavnik.documents.render import docx_text
from nastavnik.documents.russian import Case, decline_full_name, initials_name
from nastavnik.orders.models import OrderStatus
from nastavnik.orgs.models import AcademicYear
from nastavnik.people.validators import org_today
from nastavnik.programmes import roadmap_template
from nastavnik.programmes.fulfilment import fulfilment_codes
from nastavnik.programmes.models import Programme, ProgrammeStatus, RoadmapEvent

pytestmark = pytest.mark.django_db


seeded = demo_for_the_module("seeded")


@pytest.fixture
def demo(seeded):
    # The current year's; the demo also keeps the closed year before it.
    return (
        Programme.objects.select_related("academic_year")
        .filter(organisation__slug="school-5")
        .latest("academic_year__start_year")
    )


def name_of(person):
    return person.last_name, person.first_name, person.middle_name, person.gender


def read(response):
    return docx_text(b"".join(response.streaming_content))


def test_the_demo_school_runs_an_approved_programme_of_this_year(demo):
    # The school's own date: in the evening, Moscow's is already a day behind Yekaterinburg's.
    today = org_today(demo.organisation)
    assert demo.academic_year.start_year == AcademicYear.start_year_for(today)
    assert demo.status == ProgrammeStatus.APPROVED
    assert [f.form.code for f in demo.chosen_forms.all()] == [
        "student-student",
        "teacher-teacher",
        "teacher-student",
    ]
    assert all(f.role_models.exists() and f.plan_items.exists() for f in demo.chosen_forms.all())
    assert demo.goal and demo.task_list and demo.result_list
    assert demo.curator.user.email == "curator@school5.demo"
    assert demo.team.count() == 4
    assert demo.partners.count() == 3

    order = demo.approval_order
    assert order.status == OrderStatus.SIGNED
    assert order.scan.name.endswith(".pdf")
    assert order.number == "45-о"

    events = list(demo.events.all())
    assert len(events) == len(roadmap_template.EVENTS)
    past_due = [e for e in events if e.due_on < today]
    overdue = [e for e in past_due if e.done_on is None]
    assert len(overdue) == min(2, len(past_due))
    assert all(e.done_on <= today for e in events if e.done_on)
    # Done ahead of time only by what the demo did: approving the programme, and confirming the
    # pairs and signing their order (stage 5, nastavnik.demo.matching), and the acts that close
    # their events by themselves (`programmes.fulfilment`, the first meetings held …).
    done_by_actions = {"approve_programme", "matching", "pairs_order", *fulfilment_codes()}
    ahead = [e for e in events if e.due_on >= today and e.template_code not in done_by_actions]
    assert not [e for e in ahead if e.done_on]


def test_the_demo_curator_walks_the_issue(demo, client):
    client.force_login(User.objects.get(email="curator@school5.demo"))
    slug = "school-5"
    today = org_today(demo.organisation)

    # Overdue events are on the dashboard.
    dashboard = client.get(reverse("orgs:dashboard", kwargs={"org_slug": slug}))
    overdue = RoadmapEvent.objects.overdue(today).filter(programme=demo)
    assert dashboard.context["overdue_total"] == overdue.count()

    # The next year's programme, as a copy of this one.
    next_year = demo.academic_year.start_year + 1
    client.post(
        reverse("programmes:create", kwargs={"org_slug": slug}),
        {"academic_year": next_year, "source": demo.pk},
    )
    successor = Programme.objects.get(organisation__slug=slug, academic_year__start_year=next_year)
    assert successor.events.count() == demo.events.count()
    assert not successor.events.filter(done_on__isnull=False).exists()

    # Its roadmap edited: an event moved a week later, another added.
    event = successor.events.get(template_code="group_meeting")
    moved = event.due_on - timedelta(days=7)
    client.post(
        reverse("programmes:event_move", kwargs={"org_slug": slug, "event_pk": event.pk}),
        {"due_on": moved.isoformat()},
    )
    event.refresh_from_db()
    assert event.due_on == moved
    client.post(
        reverse("programmes:event_create", kwargs={"org_slug": slug, "programme_pk": successor.pk}),
        {
            "stage": "3",
            "title": "Ярмарка наставников «Кванториума»",
            "due_on": f"{next_year}-11-20",
            "responsible_roles": ["curator"],
        },
    )
    assert successor.events.filter(title__startswith="Ярмарка").exists()

    # The programme, the roadmap and the approving order print as Russian documents.
    kwargs = {"org_slug": slug, "programme_pk": demo.pk}
    programme_text = read(client.get(reverse("programmes:docx", kwargs=kwargs)))
    assert "ПРОГРАММА НАСТАВНИЧЕСТВА" in programme_text
    assert "«Ученик – ученик», «Учитель – учитель» и «Учитель – ученик»" in programme_text
    roadmap = client.get(reverse("programmes:roadmap_docx", kwargs=kwargs))
    assert "Этап 7. Завершение наставничества" in read(roadmap)
    order = client.get(
        reverse("orders:document", kwargs={"org_slug": slug, "order_pk": demo.approval_order_id})
    )
    assert unquote(order["Content-Disposition"]).endswith(".docx")
    order_text = read(order)
    curator = demo.curator
    dative = initials_name(*name_of(curator), case=Case.DATIVE)
    accusative = decline_full_name(*name_of(curator), case=Case.ACCUSATIVE)
    assert f"Куратору программы наставничества {dative}:" in order_text
    assert f"Назначить куратором программы наставничества {accusative}," in order_text
    assert "заместителя директора по воспитательной работе" in order_text
