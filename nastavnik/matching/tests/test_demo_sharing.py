"""The demo's shared mentor base, walked as the people of the demo would: the curator of СШ № 2
finds a shared mentor of СШ № 5, asks for them for a pupil; the curator of СШ № 5 and the
mentor agree; the curator of СШ № 2 forms the pair, which is СШ № 2's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nastavnik.demo.tests.factories import demo_for_the_module
from nastavnik.matching.models import OfferStatus, SharedOffer
from nastavnik.matching.sharing import shared_mentors_for
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.orgs.models import Organisation
from nastavnik.people.validators import org_today

demo_seeded = demo_for_the_module()


@pytest.fixture
def demo(demo_seeded, db):
    return None


def _login(client, email: str):
    from nastavnik.accounts.models import User

    client.force_login(User.objects.get(email=email))
    return client


def test_the_curator_of_school_2_forms_a_pair_with_a_mentor_of_school_5(client, demo):
    school2 = Organisation.objects.get(slug="school-2")
    shared = list(shared_mentors_for(school2, org_today(school2)).select_related("person"))
    assert shared, "the demo shares a mentor of СШ № 5"
    mentor = next(m for m in shared if m.person.user_id is not None)
    assert mentor.organisation.slug == "school-5"
    pupil = Mentee.objects.get(organisation=school2, status=MenteeStatus.IN_BASE)

    _login(client, "curator@school2.demo")
    page = client.get(reverse("matching:shared", kwargs={"org_slug": "school-2"}))
    assert mentor.person.full_name in page.content.decode()
    client.post(
        reverse(
            "matching:shared_card",
            kwargs={"org_slug": "school-2", "shared_mentor_pk": mentor.pk},
        ),
        {"mentee": pupil.pk, "message": "Нужен наставник по проекту"},
    )
    offer = SharedOffer.objects.get(mentor=mentor, mentee=pupil)

    _login(client, "curator@school5.demo")
    client.post(
        reverse(
            "matching:shared_answer", kwargs={"org_slug": "school-5", "shared_offer_pk": offer.pk}
        ),
        {"decision": "agree"},
    )
    client.force_login(mentor.person.user)
    client.post(
        reverse(
            "matching:my_offer_answer", kwargs={"org_slug": "school-5", "shared_offer_pk": offer.pk}
        ),
        {"decision": "agree"},
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.AGREED

    _login(client, "curator@school2.demo")
    client.post(
        reverse(
            "matching:shared_pair", kwargs={"org_slug": "school-2", "shared_offer_pk": offer.pk}
        )
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PAIRED
    assert offer.mentorship.organisation == school2
    assert offer.mentorship.mentor == mentor
