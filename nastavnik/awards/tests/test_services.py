"""The rules of the awards, through the services: who may be nominated, who scores and how, when
winners may be chosen, which documents the decision issues, and the awards order. Every refusal
leaves the database as it was."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from nastavnik.awards import services
from nastavnik.awards.documents import award_context, award_docx, awards_order_context
from nastavnik.awards.models import Award, AwardKind, JuryScore, Nomination, Nominee
from nastavnik.awards.tests.data import jury, nomination_with_jury, scored, world
from nastavnik.documents.render import docx_text
from nastavnik.orders.models import Order, OrderStatus
from nastavnik.orders.services import order_defaults, order_sign
from nastavnik.orgs.models import Role
from nastavnik.people.tests.data import fio
from nastavnik.people.tests.factories import StaffFactory
from nastavnik.programmes.tests.data import PDF, director

pytestmark = pytest.mark.django_db


def _codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def test_builtin_nominations_are_made_once(tenant_a):
    data = world(tenant_a.organisation)
    made = services.builtin_nominations_create(data.programme, by=None)
    again = services.builtin_nominations_create(data.programme, by=None)
    assert [n.name for n in made] == ["Наставник года", "Лучшая пара", "Наставник+"]
    assert again == []
    assert Nomination.objects.filter(programme=data.programme).count() == 3


def test_own_nomination_needs_a_free_name_and_a_kind(tenant_a):
    data = world(tenant_a.organisation)
    services.builtin_nominations_create(data.programme, by=None)
    with pytest.raises(ValidationError) as caught:
        services.nomination_create(
            data.programme, {"name": " наставник  года ", "nominee_kind": "nobody"}, by=None
        )
    assert set(caught.value.error_dict) == {"name", "nominee_kind"}
    assert Nomination.objects.filter(programme=data.programme).count() == 3
    made = services.nomination_create(
        data.programme, {"name": "Открытие года", "nominee_kind": "person"}, by=None
    )
    assert made.code == "" and made.nominee_kind == "person"


def test_jury_has_three_to_nine_members_who_may_score(tenant_a):
    data = world(tenant_a.organisation)
    nomination = services.nomination_create(
        data.programme, {"name": "Открытие года", "nominee_kind": "person"}, by=None
    )
    with pytest.raises(ValidationError) as caught:
        services.jury_set(nomination, jury(tenant_a)[:2], by=None)
    assert _codes(caught.value) == {"jury_size"}
    with pytest.raises(ValidationError) as caught:
        services.jury_set(nomination, [*jury(tenant_a), tenant_a.user(Role.MENTOR)], by=None)
    assert _codes(caught.value) == {"jury_user"}
    assert not nomination.jury.exists()
    services.jury_set(nomination, jury(tenant_a), by=None)
    assert nomination.jury.count() == 3


def test_a_juror_who_scored_stays_in_the_jury(tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    scored(tenant_a, nomination, mentor=data.teacher)
    other = StaffFactory(organisation=tenant_a.organisation)  # noqa: F841 -- data that could leak
    replacement = tenant_a.user(Role.DIRECTOR)
    with pytest.raises(ValidationError) as caught:
        services.jury_set(nomination, [replacement, *jury(tenant_a)[1:2]], by=None)
    assert "jury_scored" in _codes(caught.value)
    assert nomination.jury.count() == 3


def test_a_nominee_of_another_organisation_is_refused(tenant_a, tenant_b):
    data = world(tenant_a.organisation)
    theirs = world(tenant_b.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    for key, row in (
        ("mentor", theirs.teacher),
        ("mentorship", theirs.pair),
        ("person", theirs.mother),
    ):
        with pytest.raises(ValidationError) as caught:
            services.nominee_add(nomination, by=None, **{key: row})
        assert caught.value.error_dict["nominee"][0].code == "nominee_outside"
    assert not Nominee.objects.exists()


def test_a_mentor_of_another_programme_is_refused(tenant_a):
    data = world(tenant_a.organisation)
    from nastavnik.awards.tests.data import mentor as make_mentor
    from nastavnik.programmes.tests.data import programme as make_programme

    earlier = make_programme(tenant_a.organisation, 2024, roadmap=False)
    old = make_mentor(earlier, data.teacher.person, "staff")
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    with pytest.raises(ValidationError) as caught:
        services.nominee_add(nomination, mentor=old, by=None)
    assert caught.value.error_dict["nominee"][0].code == "nominee_outside"
    assert not Nominee.objects.exists()


def test_a_nominee_of_the_wrong_kind_and_a_duplicate_are_refused(tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "best_pair")
    with pytest.raises(ValidationError) as caught:
        services.nominee_add(nomination, mentor=data.teacher, by=None)
    assert caught.value.error_dict["nominee"][0].code == "nominee_kind"
    services.nominee_add(nomination, mentorship=data.pair, merits="Победа в олимпиаде", by=None)
    with pytest.raises(ValidationError) as caught:
        services.nominee_add(nomination, mentorship=data.pair, by=None)
    assert caught.value.error_dict["nominee"][0].code == "nominee_twice"
    assert Nominee.objects.filter(nomination=nomination).count() == 1


def test_a_score_outside_the_scale_is_refused(tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    nominee = services.nominee_add(nomination, mentor=data.teacher, by=None)
    curator = tenant_a.user(Role.CURATOR)
    for bad in (0, 11, "7.5", "", True, "десять"):
        with pytest.raises(ValidationError) as caught:
            services.score_save(nominee, curator, bad, by=curator)
        assert caught.value.error_dict["score"][0].code == "score_range"
    assert not JuryScore.objects.exists()
    services.score_save(nominee, curator, "10", "Лучшие результаты", by=curator)
    services.score_save(nominee, curator, 9, "Поправила", by=curator)
    saved = JuryScore.objects.get()
    assert (saved.score, saved.comment) == (9, "Поправила")


def test_only_a_juror_scores_and_not_their_own_nomination(tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_plus")
    specialist = tenant_a.user(Role.SPECIALIST)
    nominee = services.nominee_add(nomination, person=data.mother, by=None)
    with pytest.raises(ValidationError) as caught:
        services.score_save(nominee, specialist, 8, by=specialist)
    assert _codes(caught.value) == {"not_juror"}
    commission = tenant_a.user(Role.COMMISSION_MEMBER)
    data.teacher.person.user = commission
    data.teacher.person.save()
    own = services.nominee_add(nomination, person=data.teacher.person, by=None)
    with pytest.raises(ValidationError) as caught:
        services.score_save(own, commission, 8, by=commission)
    assert _codes(caught.value) == {"own_nomination"}
    assert not JuryScore.objects.exists()


def test_winners_are_not_chosen_before_any_score(tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    nominee = services.nominee_add(nomination, mentor=data.teacher, by=None)
    with pytest.raises(ValidationError) as caught:
        services.nomination_decide(nomination, by=None)
    assert _codes(caught.value) == {"no_scores"}
    nomination.refresh_from_db()
    nominee.refresh_from_db()
    assert not nomination.is_decided and nominee.place is None
    assert not Award.objects.exists()


def test_a_place_needs_the_quorum_and_one_to_three_places(tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    first = services.nominee_add(nomination, mentor=data.teacher, by=None)
    curator = tenant_a.user(Role.CURATOR)
    services.score_save(first, curator, 7, by=curator)
    for kwargs, code in (
        ({}, "quorum"),
        ({"prizes": 4}, "place_range"),
        ({"prizes": 0}, "place_range"),
    ):
        with pytest.raises(ValidationError) as caught:
            services.nomination_decide(nomination, **kwargs, by=None)
        assert _codes(caught.value) == {code}
    nomination.refresh_from_db()
    assert not nomination.is_decided
    assert not Nominee.objects.filter(place__isnull=False).exists()
    assert not Award.objects.exists()


def test_places_follow_the_means_and_only_nominees_with_the_quorum_get_one(tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    teacher, student = scored(tenant_a, nomination, mentor=data.teacher, mentor2=data.student)
    services.score_save(student, tenant_a.user(Role.CURATOR), 10, by=tenant_a.user(Role.CURATOR))
    services.nomination_decide(nomination, prizes=3, by=None)
    teacher.refresh_from_db()
    student.refresh_from_db()
    assert (teacher.place, student.place) == (1, 2)


def test_results_rank_by_the_mean_score(tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    teacher, student = scored(tenant_a, nomination, mentor=data.teacher, mentor2=data.student)
    results = services.results(nomination)
    assert [(r.nominee, r.mean, r.count, r.rank) for r in results] == [
        (teacher, 8.67, 3, 1),
        (student, 6.67, 3, 2),
    ]


def test_the_decision_issues_diplomas_certificates_and_letters(tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    _teacher, student = scored(tenant_a, nomination, mentor=data.teacher, mentor2=data.student)
    services.nomination_decide(nomination, by=tenant_a.user(Role.CURATOR))
    nomination.refresh_from_db()
    assert nomination.is_decided
    issued = {
        (a.kind, a.recipient.full_name, a.child.full_name if a.child else None)
        for a in Award.objects.all()
    }
    assert issued == {
        (AwardKind.DIPLOMA, "Соколова Ольга Николаевна", None),
        (AwardKind.CERTIFICATE, "Петрова Анна Сергеевна", None),
        (AwardKind.THANKS, "Соколова Ольга Николаевна", None),
        (AwardKind.THANKS, "Петрова Анна Сергеевна", None),
        (AwardKind.PARENT_THANKS, "Петрова Мария Петровна", "Петрова Анна Сергеевна"),
    }
    assert sorted(Award.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    # A decided nomination is closed: no more scores, nominees or jury changes.
    curator = tenant_a.user(Role.CURATOR)
    for write in (
        lambda: services.score_save(student, curator, 10, by=curator),
        lambda: services.nominee_add(nomination, mentor=data.teacher, by=None),
        lambda: services.nomination_decide(nomination, by=None),
    ):
        with pytest.raises(ValidationError) as caught:
            write()
        assert _codes(caught.value) == {"decided"}


def test_letters_of_thanks_go_once_per_programme(tenant_a):
    data = world(tenant_a.organisation)
    mentors = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    pairs = Nomination.objects.get(programme=data.programme, code="best_pair")
    services.jury_set(pairs, jury(tenant_a), by=None)
    scored(tenant_a, mentors, mentor=data.student)
    pair = scored(tenant_a, pairs, mentorship=data.pair)[0]
    services.nomination_decide(mentors, by=None)
    services.nomination_decide(pairs, by=None)
    student = data.student.person
    assert Award.objects.filter(kind=AwardKind.THANKS, recipient=student).count() == 1
    assert Award.objects.filter(kind=AwardKind.PARENT_THANKS, recipient=data.mother).count() == 1
    # The pair's diploma goes to the mentor and the mentee alike.
    assert set(
        Award.objects.filter(nominee=pair, kind=AwardKind.DIPLOMA).values_list(
            "recipient__last_name", flat=True
        )
    ) == {"Петрова", "Козлов"}
    director(tenant_a.organisation)
    details = order_defaults(data.programme.organisation, data.programme.academic_year.ends_on)
    order = services.awards_order_create(data.programme, details, by=None)
    lines = [row["nominee"] for row in awards_order_context(order)["rows"]]
    assert lines == [
        "Петрова Анна Сергеевна, ученица 9 «Б» класса",
        "наставник Петрова Анна Сергеевна, ученица 9 «Б» класса; "
        "наставляемый: Козлов Илья Андреевич, ученик 5 «А» класса",
    ]


def test_diploma_and_letters_read_in_correct_russian(tenant_a):
    data = world(tenant_a.organisation)
    director(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    _first, _second = scored(tenant_a, nomination, mentor=data.student, mentor2=data.teacher)
    services.nomination_decide(nomination, prizes=2, by=None)
    diploma = Award.objects.get(kind=AwardKind.DIPLOMA, recipient=data.student.person)
    text = docx_text(award_docx(diploma))
    assert "ДИПЛОМ" in text and "I степени" in text
    assert "Петрова Анна Сергеевна" in text and "ученица 9 «Б» класса" in text
    assert "занявшая I место в номинации «Наставник года»" in text
    assert "2025/2026 учебном году" in text
    second_diploma = Award.objects.get(kind=AwardKind.DIPLOMA, recipient=data.teacher.person)
    assert "занявшая II место" in docx_text(award_docx(second_diploma))

    letter = Award.objects.get(kind=AwardKind.PARENT_THANKS)
    text = docx_text(award_docx(letter))
    assert "Уважаемая Мария Петровна!" in text
    assert "за воспитание дочери — Петровой Анны Сергеевны, ученицы 9 «Б» класса" in text
    assert "которая в 2025/2026 учебном году стала наставником" in text
    assert "Ваша дочь проявила" in text
    assert "И. И. Иванов" in text

    thanks = Award.objects.get(kind=AwardKind.THANKS, recipient=data.teacher.person)
    assert "Уважаемая Ольга Николаевна!" in docx_text(award_docx(thanks))
    assert award_context(thanks)["director_position"] == "Директор"


def test_a_letter_to_a_father_of_a_son(tenant_a):
    from nastavnik.people.models import GuardianLink, GuardianRelation
    from nastavnik.people.tests.factories import ParentFactory, PersonFactory

    data = world(tenant_a.organisation)
    son = PersonFactory(
        organisation=tenant_a.organisation,
        **fio("Орлов Никита Олегович"),
        gender="m",
        grade=10,
        class_letter="А",
    )
    father = ParentFactory(
        organisation=tenant_a.organisation,
        **fio("Орлов Олег Викторович"),
        gender="m",
    )
    GuardianLink.objects.create(
        organisation=tenant_a.organisation,
        guardian=father,
        child=son,
        relation=GuardianRelation.FATHER,
    )
    from nastavnik.awards.tests.data import mentor as make_mentor

    son_mentor = make_mentor(data.programme, son, "student")
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    scored(tenant_a, nomination, mentor=son_mentor)
    services.nomination_decide(nomination, by=None)
    text = docx_text(award_docx(Award.objects.get(kind=AwardKind.PARENT_THANKS)))
    assert "Уважаемый Олег Викторович!" in text
    assert "за воспитание сына — Орлова Никиты Олеговича, ученика 10 «А» класса, который" in text
    assert "Ваш сын проявил" in text


def test_the_awards_order_needs_winners_and_lists_them(tenant_a):
    data = world(tenant_a.organisation)
    signatory = director(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    scored(tenant_a, nomination, mentor=data.teacher)
    details = order_defaults(data.programme.organisation, data.programme.academic_year.ends_on)
    with pytest.raises(ValidationError) as caught:
        services.awards_order_create(data.programme, details, by=None)
    assert caught.value.messages == [gettext(services.MESSAGES["no_winners"])]
    assert not Order.objects.exists()

    services.nomination_decide(nomination, by=None)
    order = services.awards_order_create(data.programme, details, by=None)
    assert order.kind == "awards" and order.signatory == signatory
    assert order.title == (
        "О награждении по итогам реализации программы наставничества в 2025/2026 учебном году"
    )
    context = awards_order_context(order)
    assert context["rows"] == [
        {
            "number": 1,
            "nomination": "Наставник года",
            "place": "I",
            "nominee": "Соколова Ольга Николаевна, учитель математики",
        }
    ]
    text = docx_text(order.document.read())
    assert "ПРИКАЗЫВАЮ" in text and "Соколова Ольга Николаевна, учитель математики" in text
    assert "(2 чел.)" not in text and "(1 чел.)" in text

    with pytest.raises(ValidationError) as caught:
        services.awards_order_create(data.programme, details, by=None)
    assert _codes(caught.value) == {"order_pending"}
    assert Order.objects.count() == 1

    from django.core.files.uploadedfile import SimpleUploadedFile

    order_sign(order, SimpleUploadedFile("scan.pdf", PDF, "application/pdf"), by=None)
    order.refresh_from_db()
    assert order.status == OrderStatus.SIGNED


def test_an_open_nomination_goes_with_its_scores_a_decided_one_stays(tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    scored(tenant_a, nomination, mentor=data.teacher)
    services.nomination_delete(nomination, by=None)
    assert not Nomination.objects.filter(pk=nomination.pk).exists()
    assert not JuryScore.objects.exists()

    pairs = Nomination.objects.get(programme=data.programme, code="best_pair")
    services.jury_set(pairs, jury(tenant_a), by=None)
    pair = scored(tenant_a, pairs, mentorship=data.pair)[0]
    services.nomination_decide(pairs, by=None)
    with pytest.raises(ValidationError) as caught:
        services.nomination_delete(pairs, by=None)
    assert _codes(caught.value) == {"decided"}
    assert Award.objects.filter(nominee=pair).exists()
