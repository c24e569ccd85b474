"""The demo's campaigns: made and answered through the services, so the applications of the
demo mentee's class fed the mentee base; the pages a curator opens show them."""

import pytest
from django.urls import reverse

from nastavnik.demo.tests.factories import current_programme, demo_for_the_module
from nastavnik.questionnaires.models import Campaign, Response

demo_loaded = demo_for_the_module("demo_loaded")


@pytest.fixture
def campaigns(demo_loaded, db):
    current = current_programme()
    rows = Campaign.objects.filter(programme=current).select_related("questionnaire__copied_from")
    # By the built-in each was sent as, or copied from.
    return {(c.questionnaire.copied_from or c.questionnaire).code: c for c in rows}


def test_the_class_application_is_closed_and_mostly_answered(campaigns):
    application = campaigns["mentee-application"]
    grade, letter = (application.audience_params[k] for k in ("grade", "class_letter"))

    assert application.closed_at is not None
    assert application.audience == "class"
    classes = {i.person.class_name for i in application.invitations.select_related("person")}
    assert classes == {f"{grade}{letter}"}
    assert application.questionnaire.organisation_id == application.organisation_id
    invited = application.invitations.count()
    answered = application.responses.count()
    assert invited >= 10 and answered > invited / 2
    assert application.left_out  # students without the consent to take part
    assert application.responses.filter(channel="paper").exclude(entered_by=None).count() == (
        application.responses.filter(channel="paper").count()
    )
    # Answered before the deadline, which is past.
    assert all(r.submitted_on <= application.deadline for r in application.responses.all())


def test_the_applications_fed_the_mentee_base(campaigns):
    from nastavnik.mentees.models import Mentee

    application = campaigns["mentee-application"]
    respondents = set(application.responses.values_list("person_id", flat=True))
    entries = Mentee.objects.filter(programme=application.programme, person__in=respondents)
    fed = [r for r in application.responses.all() if not r.feed_notes]
    assert len(fed) == len(respondents)
    assert entries.count() == len(respondents)
    topics = application.questionnaire.questions.get(feed="mentee.topics")
    for entry in entries:
        answer = Response.objects.get(campaign=application, person=entry.person).answers.get(
            question=topics
        )
        assert entry.topics == answer.value


def test_the_staff_and_the_anonymous_campaigns_are_open_and_partly_answered(campaigns):
    staff = campaigns["mentor-application"]
    satisfaction = campaigns["mentee-satisfaction"]

    assert staff.closed_at is None and staff.audience == "staff"
    assert 0 < staff.responses.count() < staff.invitations.count()
    assert satisfaction.anonymous and satisfaction.closed_at is None
    assert 0 < satisfaction.responses.count() < satisfaction.invitations.count()
    assert not satisfaction.responses.exclude(person=None).exists()
    assert not satisfaction.responses.exclude(submitted_at=None).exists()


def test_the_curator_follows_the_campaigns(client, campaigns):
    from nastavnik.accounts.models import User

    client.force_login(User.objects.get(email="curator@school5.demo"))
    slug = "school-5"

    listing = client.get(reverse("questionnaires:campaigns", kwargs={"org_slug": slug}))
    assert listing.status_code == 200
    assert len(listing.context["campaigns"]) == 3
    for campaign in campaigns.values():
        page = client.get(campaign.get_absolute_url())
        assert page.status_code == 200
        results = client.get(
            reverse(
                "questionnaires:campaign_results",
                kwargs={"org_slug": slug, "campaign_pk": campaign.pk},
            )
        )
        assert results.status_code == 200
