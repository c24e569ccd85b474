"""The shared mentor base, through the pages a curator and a mentor use: a mentor of the home
school is found by the curator of another school of the municipality, asked for, agreed to by
the home school and the mentor, and the pair is formed in the mentee's school. Every bad input
is refused with a message and changes nothing; a third school of the same municipality sees
none of it; the card never shows contacts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import Tenant, make_tenant
from nastavnik.consents.models import Consent, Purpose
from nastavnik.consents.services import consent_withdraw
from nastavnik.core.tests.pages import messages_on
from nastavnik.core.tests.shared_rows import copied, module_rows
from nastavnik.matching.models import OfferSide, OfferStatus, SharedOffer
from nastavnik.matching.tests.data import approved_programme, mentee, mentor, snapshot
from nastavnik.mentees.models import MenteeStatus
from nastavnik.mentees.tests.factories import consent
from nastavnik.mentors.models import Mentor
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.orgs.models import Organisation, Role
from nastavnik.orgs.tests.factories import MunicipalityFactory
from nastavnik.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "mentor.private@example.ru"
SECRET_PHONE = "+7 900 111-22-33"
SECRET_BIRTH = "12.03.1981"


@dataclass
class Region:
    home: Tenant
    host: Tenant
    third: Tenant
    shared: Mentor
    waiting: object  # the host's mentee


def _tenant(slug: str, municipality: object) -> Tenant:
    made = make_tenant(slug)
    Organisation.objects.filter(pk=made.organisation.pk).update(municipality=municipality)
    made.organisation.refresh_from_db()
    return made


def shared_mentor(
    home: Tenant, *, capacity: int = 1, share: bool = True, sharing_consent=True, account=False
):
    person = StaffFactory(
        organisation=home.organisation,
        email=SECRET_EMAIL,
        phone=SECRET_PHONE,
        birth_date=timezone.datetime(1981, 3, 12).date(),
        user=home.user(Role.MENTOR) if account else None,
    )
    consent(person, Purpose.PROCESSING, Purpose.PARTICIPATION)
    if sharing_consent:
        consent(person, Purpose.SHARING)
    return mentor(
        approved_programme(home.organisation),
        person=person,
        capacity=capacity,
        share_with_others=share,
        competencies="Олимпиадная математика, проектная деятельность",
    )


def _build_region() -> Region:
    town = MunicipalityFactory()
    home, host, third = (_tenant(s, town) for s in ("home-school", "host-school", "third-school"))
    return Region(
        home=home,
        host=host,
        third=third,
        shared=shared_mentor(home, account=True),
        waiting=mentee(approved_programme(host.organisation)),
    )


built = module_rows(_build_region)


@pytest.fixture
def region(built, db) -> Region:
    # Built once for the module; each test runs in a savepoint of it with its own copy.
    return copied(built)


def _url(name: str, tenant: Tenant, **kwargs) -> str:
    return reverse(f"matching:{name}", kwargs={"org_slug": tenant.organisation.slug, **kwargs})


def _as(client, tenant: Tenant, role: str = Role.CURATOR):
    client.force_login(tenant.user(role))
    return client


def _ask(client, region: Region, mentee_pk=None, mentor_pk=None):
    _as(client, region.host)
    return client.post(
        _url("shared_card", region.host, shared_mentor_pk=mentor_pk or region.shared.pk),
        {"mentee": mentee_pk or region.waiting.pk, "message": "Нужна помощь с олимпиадой"},
        follow=True,
    )


def _offer(region: Region) -> SharedOffer:
    return SharedOffer.objects.get(mentor=region.shared, mentee=region.waiting)


def _home_answer(client, region, offer, decision="agree", reason=""):
    _as(client, region.home)
    return client.post(
        _url("shared_answer", region.home, shared_offer_pk=offer.pk),
        {"decision": decision, "reason": reason},
        follow=True,
    )


def _mentor_answer(client, region, offer, decision="agree", reason=""):
    _as(client, region.home, Role.MENTOR)
    return client.post(
        _url("my_offer_answer", region.home, shared_offer_pk=offer.pk),
        {"decision": decision, "reason": reason},
        follow=True,
    )


def _pair(client, region, offer):
    _as(client, region.host)
    return client.post(_url("shared_pair", region.host, shared_offer_pk=offer.pk), follow=True)


# --- The walk -----------------------------------------------------------------------------------


def test_the_host_finds_asks_both_agree_and_the_pair_is_the_hosts(client, region):
    _as(client, region.host)
    page = client.get(_url("shared", region.host))
    assert region.shared.person.full_name in page.content.decode()
    assert "Олимпиадная математика" in page.content.decode()

    asked = _ask(client, region)
    assert asked.status_code == 200
    offer = _offer(region)
    assert offer.status == OfferStatus.ASKED
    assert (offer.home_organisation, offer.host_organisation) == (
        region.home.organisation,
        region.host.organisation,
    )

    # Not before both have agreed.
    refused = _pair(client, region, offer)
    assert "когда согласны оба" in " ".join(messages_on(refused))
    assert not Mentorship.objects.exists()

    _home_answer(client, region, offer)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ASKED and offer.home_agreed_at is not None

    # The mentor sees the request in their own page, and agrees.
    _as(client, region.home, Role.MENTOR)
    mine = client.get(_url("my_offers", region.home))
    assert region.host.organisation.short_name in mine.content.decode()
    _mentor_answer(client, region, offer)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.AGREED

    formed = _pair(client, region, offer)
    assert formed.status_code == 200
    offer.refresh_from_db()
    pair = offer.mentorship
    assert offer.status == OfferStatus.PAIRED
    assert pair.organisation == region.host.organisation
    assert pair.programme == region.waiting.programme
    assert pair.mentor == region.shared
    assert MentorshipMentee.objects.get(mentorship=pair).mentee == region.waiting
    region.waiting.refresh_from_db()
    assert region.waiting.status == MenteeStatus.PAIRED

    # The home school sees its mentor mentors elsewhere.
    _as(client, region.home)
    home_page = client.get(_url("shared", region.home)).content.decode()
    assert (
        f"{region.shared.person.full_name} наставляет в {region.host.organisation.short_name}"
        in home_page
    )


def test_the_mentor_may_agree_first(client, region):
    _ask(client, region)
    offer = _offer(region)
    _mentor_answer(client, region, offer)
    _home_answer(client, region, offer)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.AGREED


@pytest.mark.parametrize(
    ("answer", "side"), [(_home_answer, OfferSide.HOME), (_mentor_answer, OfferSide.MENTOR)]
)
def test_either_side_refuses_and_no_pair_can_follow(client, region, answer, side):
    _ask(client, region)
    offer = _offer(region)
    answer(client, region, offer, "refuse", "Нагрузка в своей школе")
    offer.refresh_from_db()
    assert (offer.status, offer.refused_by, offer.refusal_reason) == (
        OfferStatus.REFUSED,
        side,
        "Нагрузка в своей школе",
    )
    before = snapshot()
    late = _home_answer(client, region, offer)
    assert "больше нельзя" in " ".join(messages_on(late))
    _pair(client, region, offer)
    assert snapshot() == before


def test_the_host_withdraws_its_request(client, region):
    _ask(client, region)
    offer = _offer(region)
    client.post(_url("shared_withdraw", region.host, shared_offer_pk=offer.pk))
    offer.refresh_from_db()
    assert (offer.status, offer.refused_by) == (OfferStatus.REFUSED, OfferSide.HOST)


# --- Bad input ----------------------------------------------------------------------------------


def test_double_agreement_is_refused_and_changes_nothing(client, region):
    _ask(client, region)
    offer = _offer(region)
    _home_answer(client, region, offer)
    before = snapshot(), list(SharedOffer.objects.values_list())
    again = _home_answer(client, region, offer)
    assert "Согласие уже дано." in messages_on(again)
    assert (snapshot(), list(SharedOffer.objects.values_list())) == before

    _mentor_answer(client, region, offer)
    _mentor_answer(client, region, offer)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.AGREED


def test_an_answer_without_a_decision_is_refused(client, region):
    _ask(client, region)
    offer = _offer(region)
    response = _home_answer(client, region, offer, decision="maybe")
    assert "Выберите, согласны вы или отказываетесь." in messages_on(response)
    offer.refresh_from_db()
    assert offer.home_agreed_at is None and offer.status == OfferStatus.ASKED


@pytest.mark.parametrize(
    "tamper",
    [
        "mentee_of_the_home_school",
        "mentee_of_a_third_school",
        "mentee_already_paired",
        "not_a_number",
    ],
)
def test_a_tampered_mentee_is_refused(client, region, tamper):
    target = {
        "mentee_of_the_home_school": lambda: (
            mentee(approved_programme(region.home.organisation)).pk
        ),
        "mentee_of_a_third_school": lambda: (
            mentee(approved_programme(region.third.organisation)).pk
        ),
        "mentee_already_paired": lambda: _paired(region).pk,
        "not_a_number": lambda: "1 OR 1=1",
    }[tamper]()
    before = SharedOffer.objects.count()
    response = _ask(client, region, mentee_pk=target)
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert SharedOffer.objects.count() == before


def _paired(region: Region):
    made = mentee(approved_programme(region.host.organisation))
    type(made).objects.filter(pk=made.pk).update(status=MenteeStatus.PAIRED)
    return made


def _other_region_mentor() -> Mentor:
    far = make_tenant("far-school")
    return shared_mentor(far)


@pytest.mark.parametrize(
    "which",
    ["another_region", "no_sharing_consent", "flag_off", "own_school", "not_a_mentor"],
)
def test_a_mentor_who_is_not_shared_with_the_host_is_not_found(client, region, which):
    mentor_pk = {
        "another_region": lambda: _other_region_mentor().pk,
        "no_sharing_consent": lambda: shared_mentor(region.home, sharing_consent=False).pk,
        "flag_off": lambda: shared_mentor(region.home, share=False).pk,
        "own_school": lambda: shared_mentor(region.host).pk,
        "not_a_mentor": lambda: 987654,
    }[which]()
    _as(client, region.host)
    assert (
        client.get(_url("shared_card", region.host, shared_mentor_pk=mentor_pk)).status_code == 404
    )
    response = client.post(
        _url("shared_card", region.host, shared_mentor_pk=mentor_pk),
        {"mentee": region.waiting.pk},
    )
    assert response.status_code == 404
    assert not SharedOffer.objects.exists()
    listed = client.get(_url("shared", region.host)).content.decode()
    assert f"shared/mentors/{mentor_pk}/" not in listed


def test_the_service_refuses_a_mentor_not_shared_with_a_clear_message(region):
    from django.core.exceptions import ValidationError

    from nastavnik.matching.sharing import offer_ask

    hidden = shared_mentor(region.home, share=False)
    with pytest.raises(ValidationError) as refused:
        offer_ask(
            region.host.organisation, mentor_pk=hidden.pk, mentee_pk=region.waiting.pk, by=None
        )
    assert refused.value.code == "mentor_not_shared"
    assert not SharedOffer.objects.exists()


def test_asking_twice_for_the_same_pair_is_refused(client, region):
    _ask(client, region)
    again = _ask(client, region)
    assert "уже запрошен" in again.content.decode()
    assert SharedOffer.objects.count() == 1


def _fill_at_home(region: Region) -> None:
    """The mentor's one place taken by a pair in the home school itself."""
    home_programme = approved_programme(region.home.organisation)
    taken = mentee(home_programme)
    today = timezone.localdate()
    pair = Mentorship.objects.create(
        organisation=region.home.organisation,
        programme=home_programme,
        form=taken.form,
        mentor=region.shared,
        started_on=today,
        planned_end=today.replace(year=today.year + 1) - timezone.timedelta(days=1),
    )
    MentorshipMentee.objects.create(
        organisation=region.home.organisation, mentorship=pair, mentee=taken
    )


def test_a_mentor_full_at_home_cannot_be_asked_for(client, region):
    _fill_at_home(region)
    _as(client, region.host)
    page = client.get(_url("shared_card", region.host, shared_mentor_pk=region.shared.pk))
    assert page.context["card"].free_places == 0
    response = _ask(client, region)
    errors = " ".join(response.context["form"].non_field_errors())
    assert "нет свободных мест для новых наставляемых" in errors
    assert region.shared.person.full_name in errors
    assert not SharedOffer.objects.exists()


def test_places_filled_after_the_agreement_block_the_pair(client, region):
    _ask(client, region)
    offer = _offer(region)
    _home_answer(client, region, offer)
    _mentor_answer(client, region, offer)
    _fill_at_home(region)
    before = snapshot()
    response = _pair(client, region, offer)
    assert any("нет свободных мест для новых наставляемых" in m for m in messages_on(response))
    assert snapshot() == before
    offer.refresh_from_db()
    assert offer.status == OfferStatus.AGREED


def test_withdrawing_the_sharing_consent_ends_the_offers_and_blocks_the_pair(client, region):
    _ask(client, region)
    offer = _offer(region)
    _home_answer(client, region, offer)
    _mentor_answer(client, region, offer)
    sharing = Consent.objects.get(subject=region.shared.person, purpose=Purpose.SHARING)
    consent_withdraw(sharing, "Больше не хочу", by=None)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ENDED
    before = snapshot()
    response = _pair(client, region, offer)
    assert any("больше нельзя" in m for m in messages_on(response))
    assert snapshot() == before
    _as(client, region.host)
    assert (
        client.get(_url("shared_card", region.host, shared_mentor_pk=region.shared.pk)).status_code
        == 404
    )


def test_the_flag_turned_off_after_the_ask_ends_the_offer_at_the_next_step(client, region):
    _ask(client, region)
    offer = _offer(region)
    Mentor.objects.filter(pk=region.shared.pk).update(share_with_others=False)
    response = _home_answer(client, region, offer)
    assert any("больше не предлагается" in m for m in messages_on(response))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ENDED and offer.home_agreed_at is None


# --- Tenancy ------------------------------------------------------------------------------------


def test_a_third_school_of_the_municipality_sees_no_offer(client, region):
    _ask(client, region)
    offer = _offer(region)
    before = snapshot(), list(SharedOffer.objects.values_list())
    for role in (Role.CURATOR, Role.DIRECTOR, Role.MENTOR):
        _as(client, region.third, role)
        for name in ("shared_offer", "shared_answer", "shared_withdraw", "shared_pair"):
            for tenant in (region.third, region.home, region.host):
                url = _url(name, tenant, shared_offer_pk=offer.pk)
                assert client.get(url).status_code in (403, 404, 405), url
                assert client.post(url, {"decision": "agree"}).status_code in (403, 404), url
        url = _url("my_offer_answer", region.third, shared_offer_pk=offer.pk)
        assert client.post(url, {"decision": "agree"}).status_code in (403, 404)
    _as(client, region.third)
    listed = client.get(_url("shared", region.third)).content.decode()
    assert region.waiting.person.full_name not in listed
    assert f"shared/offers/{offer.pk}/" not in listed
    assert (snapshot(), list(SharedOffer.objects.values_list())) == before


def test_each_side_acts_only_as_itself(client, region):
    _ask(client, region)
    offer = _offer(region)
    before = list(SharedOffer.objects.values_list())
    # The host cannot agree for the home school, nor the home school form the pair.
    _as(client, region.host)
    assert (
        client.post(
            _url("shared_answer", region.host, shared_offer_pk=offer.pk), {"decision": "agree"}
        ).status_code
        == 404
    )
    _as(client, region.home)
    assert (
        client.post(_url("shared_pair", region.home, shared_offer_pk=offer.pk)).status_code == 404
    )
    assert (
        client.post(_url("shared_withdraw", region.home, shared_offer_pk=offer.pk)).status_code
        == 404
    )
    # Another mentor of the home school cannot answer for the asked mentor.
    other = make_tenant("other-mentors")
    from nastavnik.orgs.tests.factories import MembershipFactory

    MembershipFactory(
        organisation=region.home.organisation, role=Role.MENTOR, user=other.user(Role.MENTOR)
    )
    client.force_login(other.user(Role.MENTOR))
    response = client.post(
        _url("my_offer_answer", region.home, shared_offer_pk=offer.pk), {"decision": "agree"}
    )
    assert response.status_code == 404
    assert list(SharedOffer.objects.values_list()) == before


def test_the_home_school_does_not_see_the_mentee_and_the_host_no_contacts(client, region):
    _ask(client, region)
    offer = _offer(region)
    _as(client, region.home)
    home_view = client.get(_url("shared_offer", region.home, shared_offer_pk=offer.pk))
    assert region.waiting.person.full_name not in home_view.content.decode()
    _as(client, region.host)
    pages = [
        client.get(_url("shared", region.host)),
        client.get(_url("shared_card", region.host, shared_mentor_pk=region.shared.pk)),
        client.get(_url("shared_offer", region.host, shared_offer_pk=offer.pk)),
    ]
    for page in pages:
        text = page.content.decode()
        assert region.shared.person.full_name in text
        for secret in (SECRET_EMAIL, SECRET_PHONE, SECRET_BIRTH, "1981"):
            assert secret not in text


# --- A run that includes the shared mentors ---------------------------------------------------


def test_a_run_including_shared_mentors_turns_their_pairs_into_requests(region):
    from nastavnik.matching import services
    from nastavnik.matching.tests.test_services import order_details

    host = region.host.organisation
    programme, form = region.waiting.programme, region.waiting.form
    from nastavnik.matching.profiles import build_inputs

    today = timezone.localdate()
    assert build_inputs(programme, form, today).mentors == []
    [reached] = build_inputs(programme, form, today, options={"include_shared": True}).mentors
    assert (reached.id, reached.shared) == (region.shared.person_id, True)

    run = services.run_start(programme, form, services.RunSettings(include_shared=True), by=None)
    [proposal] = run.proposals.all()
    assert proposal.mentor == region.shared
    assert proposal.organisation == host

    services.run_confirm(
        run,
        order=order_details(type("W", (), {"org": host})),
        started_on=timezone.localdate(),
        planned_end=timezone.localdate() + timezone.timedelta(days=200),
        by=None,
    )
    offer = SharedOffer.objects.get(mentor=region.shared, mentee=region.waiting)
    assert (offer.status, offer.host_organisation, offer.home_organisation) == (
        OfferStatus.ASKED,
        host,
        region.home.organisation,
    )
    assert not Mentorship.objects.exists()
    region.waiting.refresh_from_db()
    assert region.waiting.status == MenteeStatus.IN_BASE
