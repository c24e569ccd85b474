"""The awards pages through the test client, as the curator, a juror and others use them."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from nastavnik.awards import services
from nastavnik.awards.models import Award, JuryScore, Nomination, Nominee
from nastavnik.awards.tests.data import jury, nomination_with_jury, scored, world
from nastavnik.documents.render import docx_text, find_soffice
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.orders.models import Order
from nastavnik.orgs.models import Membership, Role
from nastavnik.orgs.tests.factories import UserFactory
from nastavnik.people.tests.factories import PersonFactory
from nastavnik.programmes.tests.data import director

pytestmark = pytest.mark.django_db


def _url(name: str, tenant, **kwargs) -> str:
    return reverse(f"awards:{name}", kwargs={"org_slug": tenant.organisation.slug, **kwargs})


def test_the_curator_adds_the_nominations_of_the_regulation(client, tenant_a):
    data = world(tenant_a.organisation)
    client.force_login(tenant_a.user(Role.CURATOR))
    page = client.get(_url("list", tenant_a), {"programme": data.programme.pk})
    assert gettext("Add the nominations of the regulation") in page.content.decode()

    client.post(_url("builtin", tenant_a, programme_pk=data.programme.pk))

    page = client.get(_url("list", tenant_a), {"programme": data.programme.pk})
    body = page.content.decode()
    assert "Наставник года" in body and "Лучшая пара" in body and "Наставник+" in body
    assert gettext("Add the nominations of the regulation") not in body
    assert Nomination.objects.filter(programme=data.programme).count() == 3


def test_a_juror_sees_only_the_nominations_of_their_jury(client, tenant_a):
    data = world(tenant_a.organisation)
    mine = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    others = Nomination.objects.get(programme=data.programme, code="best_pair")
    client.force_login(tenant_a.user(Role.COMMISSION_MEMBER))

    body = client.get(_url("list", tenant_a), {"programme": data.programme.pk}).content.decode()

    assert mine.name in body and others.name not in body
    assert client.get(_url("nomination", tenant_a, nomination_pk=others.pk)).status_code == 404
    assert client.get(_url("nomination", tenant_a, nomination_pk=mine.pk)).status_code == 200


def test_those_without_the_right_are_refused(client, tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    client.force_login(tenant_a.user(Role.SPECIALIST))
    assert client.get(_url("list", tenant_a)).status_code == 403
    client.force_login(tenant_a.user(Role.COMMISSION_MEMBER))
    response = client.post(
        _url("nominee_add", tenant_a, nomination_pk=nomination.pk),
        {"nominee": data.teacher.pk},
    )
    assert response.status_code == 403
    assert not Nominee.objects.exists()


def test_a_nominee_outside_the_organisation_is_refused_on_the_form(client, tenant_a, tenant_b):
    data = world(tenant_a.organisation)
    theirs = world(tenant_b.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    client.force_login(tenant_a.user(Role.CURATOR))
    url = _url("nominee_add", tenant_a, nomination_pk=nomination.pk)

    response = client.post(url, {"nominee": theirs.teacher.pk, "merits": "Чужой"})

    assert response.status_code == 200
    assert response.context["form"].errors["nominee"]
    assert not Nominee.objects.exists()

    response = client.post(url, {"nominee": data.teacher.pk, "merits": "Призёры олимпиады"})
    assert response.status_code == 302
    assert Nominee.objects.get().mentor == data.teacher
    # Once nominated, the mentor is no longer offered and a second try changes nothing.
    response = client.post(url, {"nominee": data.teacher.pk})
    assert response.context["form"].errors["nominee"]
    assert Nominee.objects.count() == 1


def test_a_juror_scores_blind_and_corrects_their_scores(client, tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    teacher = services.nominee_add(nomination, mentor=data.teacher, by=None)
    student = services.nominee_add(nomination, mentor=data.student, by=None)
    curator = tenant_a.user(Role.CURATOR)
    services.score_save(teacher, curator, 10, "Секретный отзыв куратора", by=curator)
    client.force_login(tenant_a.user(Role.COMMISSION_MEMBER))
    url = _url("score", tenant_a, nomination_pk=nomination.pk)

    bad = client.post(url, {f"score_{teacher.pk}": "8", f"score_{student.pk}": "11"})
    assert bad.status_code == 200 and bad.context["form"].errors
    assert JuryScore.objects.count() == 1

    done = client.post(
        url,
        {f"score_{teacher.pk}": "8", f"score_{student.pk}": "6", f"comment_{student.pk}": "Растёт"},
    )
    assert done.status_code == 302
    mine = JuryScore.objects.filter(juror__user=tenant_a.user(Role.COMMISSION_MEMBER))
    assert sorted(mine.values_list("score", flat=True)) == [6, 8]

    page = client.get(_url("nomination", tenant_a, nomination_pk=nomination.pk)).content.decode()
    assert "Секретный отзыв куратора" not in page
    assert gettext("your score: %(score)s") % {"score": 8} in page

    client.post(url, {f"score_{teacher.pk}": "9", f"score_{student.pk}": "6"})
    assert sorted(mine.values_list("score", flat=True)) == [6, 9]


def test_someone_outside_the_jury_cannot_score(client, tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    extra = UserFactory(email="second-commission@school-a.ru")
    Membership.objects.create(
        organisation=tenant_a.organisation, user=extra, role=Role.COMMISSION_MEMBER
    )
    services.jury_set(
        nomination,
        [tenant_a.user(Role.DIRECTOR), tenant_a.user(Role.COMMISSION_MEMBER), extra],
        by=None,
    )
    nominee = services.nominee_add(nomination, mentor=data.teacher, by=None)
    client.force_login(tenant_a.user(Role.CURATOR))
    url = _url("score", tenant_a, nomination_pk=nomination.pk)
    page = client.get(url)
    assert escape(gettext(services.MESSAGES["not_juror"])) in page.content.decode()

    response = client.post(url, {f"score_{nominee.pk}": "9"})

    assert response.status_code == 200
    assert escape(gettext(services.MESSAGES["not_juror"])) in response.content.decode()
    assert not JuryScore.objects.exists()


def test_the_curator_chooses_winners_only_from_scores(client, tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    nominee = services.nominee_add(nomination, mentor=data.teacher, by=None)
    client.force_login(tenant_a.user(Role.CURATOR))
    url = _url("decide", tenant_a, nomination_pk=nomination.pk)

    early = client.post(url, {"prizes": "1"})

    assert early.status_code == 200
    assert gettext(services.MESSAGES["no_scores"]) in early.content.decode()
    nominee.refresh_from_db()
    assert nominee.place is None and not Award.objects.exists()

    for user in jury(tenant_a):
        services.score_save(nominee, user, 9, by=user)
    done = client.post(url, {"prizes": "1"})

    assert done.status_code == 302
    nominee.refresh_from_db()
    assert nominee.place == 1
    assert Award.objects.filter(nominee=nominee).count() == 2  # the diploma and the letter


def test_documents_download_as_docx_and_zip(client, tenant_a):
    data = world(tenant_a.organisation)
    director(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    scored(tenant_a, nomination, mentor=data.student)
    services.nomination_decide(nomination, by=None)
    client.force_login(tenant_a.user(Role.CURATOR))

    page = client.get(_url("documents", tenant_a, programme_pk=data.programme.pk))
    assert page.status_code == 200 and "Петрова Мария Петровна" in page.content.decode()

    letter = Award.objects.get(kind="parent_thanks")
    response = client.get(_url("award_docx", tenant_a, award_pk=letter.pk))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "Уважаемая Мария Петровна!" in docx_text(response.content)

    archive = client.get(_url("zip", tenant_a, programme_pk=data.programme.pk))
    with zipfile.ZipFile(BytesIO(archive.content)) as opened:
        names = opened.namelist()
    assert len(names) == Award.objects.count() == 3
    assert any("Диплом" in name and "Петрова А. С." in name for name in names)


def test_the_pdf_button_explains_a_missing_libreoffice(client, tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    scored(tenant_a, nomination, mentor=data.teacher)
    services.nomination_decide(nomination, by=None)
    client.force_login(tenant_a.user(Role.CURATOR))
    diploma = Award.objects.get(kind="diploma")

    response = client.get(_url("award_pdf", tenant_a, award_pk=diploma.pk), follow=True)

    if find_soffice() is None:
        assert "LibreOffice" in response.content.decode()
    else:
        assert response.content.startswith(b"%PDF-")


def test_the_awards_order_is_prepared_from_the_winners(client, tenant_a):
    data = world(tenant_a.organisation)
    director(tenant_a.organisation)
    client.force_login(tenant_a.user(Role.CURATOR))
    url = _url("order", tenant_a, programme_pk=data.programme.pk)
    form = client.get(url).context["form"]
    post = {
        "number": form.initial["number"],
        "date": "2026-05-25",
        "signatory": form.initial["signatory"].pk,
    }

    refused = client.post(url, post)

    assert gettext(services.MESSAGES["no_winners"]) in refused.content.decode()
    assert not Order.objects.exists()

    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    scored(tenant_a, nomination, mentor=data.teacher)
    services.nomination_decide(nomination, by=None)
    made = client.post(url, post)

    order = Order.objects.get()
    assert made["Location"] == reverse(
        "orders:detail", kwargs={"org_slug": tenant_a.organisation.slug, "order_pk": order.pk}
    )
    assert order.kind == "awards" and order.is_draft


def test_the_nomination_page_costs_the_same_queries_for_one_or_three_pairs(client, tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "best_pair")
    client.force_login(tenant_a.user(Role.CURATOR))
    url = _url("nomination", tenant_a, nomination_pk=nomination.pk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    scored(tenant_a, nomination, mentorship=data.pair)
    one = queries()
    for number in range(2):
        pair = Mentorship.objects.create(
            organisation=tenant_a.organisation,
            programme=data.programme,
            form=data.pair.form,
            mentor=data.teacher,
            started_on=data.pair.started_on,
            planned_end=data.pair.planned_end,
        )
        mentee = Mentee.objects.create(
            organisation=tenant_a.organisation,
            programme=data.programme,
            person=PersonFactory(organisation=tenant_a.organisation, grade=6),
            form=data.pair.form,
            status=MenteeStatus.IN_BASE,
        )
        MentorshipMentee.objects.create(
            organisation=tenant_a.organisation, mentorship=pair, mentee=mentee
        )
        scored(tenant_a, nomination, **{f"mentorship{number}": pair})

    assert queries() == one


def test_every_page_opens_for_the_curator(client, tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    scored(tenant_a, nomination, mentor=data.teacher)
    client.force_login(tenant_a.user(Role.CURATOR))
    pages = [
        _url("create", tenant_a, programme_pk=data.programme.pk),
        _url("documents", tenant_a, programme_pk=data.programme.pk),
        _url("order", tenant_a, programme_pk=data.programme.pk),
        *(
            _url(name, tenant_a, nomination_pk=nomination.pk)
            for name in ("nomination", "jury", "nominee_add", "score", "decide")
        ),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_a_nomination_with_a_taken_name_is_refused_on_the_form(client, tenant_a):
    data = world(tenant_a.organisation)
    services.builtin_nominations_create(data.programme, by=None)
    client.force_login(tenant_a.user(Role.CURATOR))
    url = _url("create", tenant_a, programme_pk=data.programme.pk)

    refused = client.post(url, {"name": "НАСТАВНИК ГОДА", "nominee_kind": "mentor"})

    assert refused.status_code == 200
    assert refused.context["form"].errors["name"] == [
        gettext(services.MESSAGES["name_taken"]) % {"name": "НАСТАВНИК ГОДА"}
    ]
    assert Nomination.objects.filter(programme=data.programme).count() == 3

    made = client.post(
        url, {"name": "Открытие года", "nominee_kind": "person", "description": "Для новичков"}
    )
    nomination = Nomination.objects.get(name="Открытие года")
    assert made["Location"] == _url("nomination", tenant_a, nomination_pk=nomination.pk)
