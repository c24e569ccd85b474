"""The REST API through its own door: HTTP calls with a bearer token."""

from __future__ import annotations

import json
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from nastavnik.api.tokens import token_create
from nastavnik.audit.models import AuditAction, AuditChannel, AuditEntry, AuditObject
from nastavnik.mentees.tests.factories import MenteeFactory
from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.tests.isolation import ROW_MAKERS as PAIRS
from nastavnik.orders.tests.isolation import ROW_MAKERS as ORDERS
from nastavnik.orgs.models import Role
from nastavnik.people.models import Person
from nastavnik.people.tests.factories import ParentFactory, PersonFactory
from nastavnik.questionnaires.tests import data

pytestmark = pytest.mark.django_db

WRITE_ALL = {
    "people": "write",
    "mentees": "read",
    "mentors": "read",
    "mentorships": "read",
    "questionnaires": "read",
    "indicators": "read",
    "orders": "read",
}


def token(tenant, role=Role.CURATOR, scopes=None, days=30) -> str:
    return token_create(
        tenant.organisation, tenant.user(role), name="script", scopes=scopes or WRITE_ALL, days=days
    )[1]


def call(client, method, path, secret, body=None, **extra):
    url = f"/api/v1/o/school-a{path}"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}", **extra}
    if body is None:
        return client.generic(method, url, **headers)
    return client.generic(method, url, json.dumps(body), "application/json", **headers)


STUDENT = {
    "kind": "student",
    "last_name": "Соколова",
    "first_name": "Мария",
    "gender": "f",
    "birth_date": "2012-04-01",
    "grade": 6,
    "class_letter": "б",
}


# --- People ------------------------------------------------------------------------------------


def test_people_list_searches_filters_and_pages(client, tenant_a):
    org = tenant_a.organisation
    PersonFactory(organisation=org, last_name="Орлов", first_name="Пётр", grade=7)
    PersonFactory(organisation=org, last_name="Орлова", first_name="Анна", grade=8)
    PersonFactory(organisation=org, last_name="Сидоров", first_name="Иван", grade=7)
    ParentFactory(organisation=org, last_name="Орлова", first_name="Ольга")
    secret = token(tenant_a)

    found = call(client, "GET", "/people?q=орлов&kind=student&page_size=1", secret).json()

    assert found["count"] == 2 and found["pages"] == 2 and found["page_size"] == 1
    assert [p["last_name"] for p in found["results"]] == ["Орлов"]
    second = call(client, "GET", "/people?q=орлов&kind=student&page_size=1&page=2", secret)
    assert [p["last_name"] for p in second.json()["results"]] == ["Орлова"]
    graded = call(client, "GET", "/people?grade=7", secret).json()
    assert {p["last_name"] for p in graded["results"]} == {"Орлов", "Сидоров"}


def test_page_size_above_the_limit_is_a_problem_with_a_russian_message(client, tenant_a):
    response = call(client, "GET", "/people?page_size=101", token(tenant_a))

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Unprocessable Content" and problem["status"] == 422
    assert problem["errors"] == [
        {
            "loc": ["query", "page_size"],
            "message": "Значение больше допустимого.",
            "code": "less_than_equal",
        }
    ]


def test_people_whose_consent_is_withdrawn_are_left_out(client, tenant_a):
    org = tenant_a.organisation
    shown = data.student(org, last_name="Видимая")
    hidden = data.student(org, last_name="Скрытая")
    hidden.consents.update(withdrawn_at=timezone.now())
    secret = token(tenant_a)

    names = [p["last_name"] for p in call(client, "GET", "/people", secret).json()["results"]]

    assert "Видимая" in names and "Скрытая" not in names
    assert call(client, "GET", f"/people/{hidden.pk}", secret).status_code == 404
    assert call(client, "GET", f"/people/{shown.pk}", secret).status_code == 200
    refused = call(client, "PATCH", f"/people/{hidden.pk}", secret, {"first_name": "Ира"})
    assert refused.status_code == 409
    assert Person.objects.get(pk=hidden.pk).first_name != "Ира"


def test_a_role_sees_the_fields_the_policy_gives_it(client, tenant_a):
    org = tenant_a.organisation
    child = PersonFactory(organisation=org, birth_date=date(2012, 1, 2), notes="аллергия")
    parent = ParentFactory(organisation=org, email="mama@example.ru", phone="+79990001122")
    secret = token(tenant_a, Role.SPECIALIST, {"people": "read"})

    seen_child = call(client, "GET", f"/people/{child.pk}", secret).json()
    seen_parent = call(client, "GET", f"/people/{parent.pk}", secret).json()

    # A specialist works with the child (age, notes), not with the parents' contacts.
    assert seen_child["birth_date"] == "2012-01-02" and seen_child["notes"] == "аллергия"
    assert seen_parent["email"] is None and seen_parent["phone"] is None
    curator = call(client, "GET", f"/people/{parent.pk}", token(tenant_a)).json()
    assert curator["email"] == "mama@example.ru"


def test_create_writes_through_the_registry_rules_and_audits_the_token(client, tenant_a):
    secret = token(tenant_a)

    response = call(client, "POST", "/people", secret, STUDENT)

    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert (person.last_name, person.class_letter, person.grade) == ("Соколова", "Б", 6)
    entry = AuditEntry.objects.get(object_type=AuditObject.PERSON, object_id=person.pk)
    assert entry.channel == AuditChannel.API and entry.actor == tenant_a.user(Role.CURATOR)
    use = AuditEntry.objects.get(action=AuditAction.API_WRITE)
    assert use.object_type == AuditObject.API_TOKEN
    assert use.changes["request"] == [None, "POST /api/v1/o/school-a/people"]


def test_create_with_bad_data_says_why_in_russian_and_writes_nothing(client, tenant_a):
    future = (date.today() + timedelta(days=30)).isoformat()

    response = call(client, "POST", "/people", token(tenant_a), {**STUDENT, "birth_date": future})

    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "loc": ["body", "birth_date"],
        "message": "Дата рождения не может быть в будущем.",
        "code": "future",
    }
    assert not Person.objects.filter(last_name="Соколова").exists()
    assert not AuditEntry.objects.filter(action=AuditAction.API_WRITE).exists()


def test_update_changes_only_the_fields_sent(client, tenant_a):
    person = PersonFactory(organisation=tenant_a.organisation, first_name="Иван", grade=5)

    response = call(client, "PATCH", f"/people/{person.pk}", token(tenant_a), {"grade": 6})

    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert (person.first_name, person.grade) == ("Иван", 6)


def test_a_write_scope_does_not_lift_the_roles_rule(client, tenant_a):
    # The specialist may read the registry but not edit it: the token cannot add that right.
    secret = token(tenant_a, Role.SPECIALIST, {"people": "write"})

    assert call(client, "GET", "/people", secret).status_code == 200
    assert call(client, "POST", "/people", secret, STUDENT).status_code == 403
    assert not Person.objects.filter(last_name="Соколова").exists()


def test_a_token_opens_only_its_scopes(client, tenant_a):
    secret = token(tenant_a, scopes={"mentees": "read"})

    assert call(client, "GET", "/mentees", secret).status_code == 200
    assert call(client, "GET", "/people", secret).status_code == 403
    assert call(client, "GET", "/orders", secret).status_code == 403


def test_a_removed_member_s_token_finds_nothing(client, tenant_a):
    secret = token(tenant_a)
    tenant_a.user(Role.CURATOR).memberships.all().delete()

    assert call(client, "GET", "/people", secret).status_code == 404


def test_expired_token_is_refused(client, tenant_a):
    secret = token(tenant_a)
    tenant_a.user(Role.CURATOR).api_tokens.update(expires_at=timezone.now())

    response = call(client, "GET", "/people", secret)

    assert response.status_code == 401
    assert response.json()["title"] == "Unauthorized"


@override_settings(API_RATE_PER_MINUTE=2)
def test_the_rate_limit_is_per_token(client, tenant_a):
    first, second = token(tenant_a), token(tenant_a)

    statuses = [call(client, "GET", "/people", first).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    limited = call(client, "GET", "/people", first)
    assert 1 <= int(limited["Retry-After"]) <= 61
    assert limited["Content-Type"] == "application/problem+json"
    assert call(client, "GET", "/people", second).status_code == 200


@override_settings(API_RATE_PER_MINUTE=2)
def test_the_rate_limit_starts_again_each_minute_however_busy_the_token(client, tenant_a):
    secret = token(tenant_a)
    minute = 60 * 29_000_000

    with mock.patch("nastavnik.core.throttle.time.time", return_value=minute + 50):
        statuses = [call(client, "GET", "/people", secret).status_code for _ in range(3)]
        waits = call(client, "GET", "/people", secret)["Retry-After"]
    # A call every minute kept the counter alive: the next minute counts from zero all the same.
    with mock.patch("nastavnik.core.throttle.time.time", return_value=minute + 65):
        next_minute = call(client, "GET", "/people", secret).status_code

    assert statuses == [200, 200, 429] and waits == "11"
    assert next_minute == 200


def test_etag_answers_304_while_nothing_changed(client, tenant_a):
    person = PersonFactory(organisation=tenant_a.organisation, first_name="Иван")
    secret = token(tenant_a)
    etag = call(client, "GET", f"/people/{person.pk}", secret)["ETag"]

    same = call(client, "GET", f"/people/{person.pk}", secret, HTTP_IF_NONE_MATCH=etag)
    call(client, "PATCH", f"/people/{person.pk}", secret, {"first_name": "Илья"})
    changed = call(client, "GET", f"/people/{person.pk}", secret, HTTP_IF_NONE_MATCH=etag)

    assert same.status_code == 304 and same["ETag"] == etag
    assert changed.status_code == 200 and changed["ETag"] != etag


# --- The import --------------------------------------------------------------------------------

CSV = (
    "Фамилия;Имя;Отчество;Пол;Дата рождения;Класс\n"
    "Белова;Дарья;Игоревна;ж;03.03.2012;6А\n"
    "Белов;Игорь;Игоревич;м;04.04.2011;7Б\n"
).encode()


def test_import_runs_as_a_job_that_is_polled_and_confirmed(client, tenant_a):
    secret = token(tenant_a)
    upload = SimpleUploadedFile("7a.csv", CSV, "text/csv")

    started = client.post(
        "/api/v1/o/school-a/imports",
        {"kind": "student", "file": upload},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )

    assert started.status_code == 202, started.content
    job = started.json()
    assert job["status"] == "previewed" and job["rows_total"] == 2
    assert not Person.objects.filter(last_name__startswith="Белов").exists()
    polled = call(client, "GET", f"/imports/{job['id']}", secret).json()
    assert polled["status"] == "previewed"

    done = call(client, "POST", f"/imports/{job['id']}/confirm", secret, {"skip_invalid": False})

    assert done.status_code == 202 and done.json()["status"] == "done"
    assert Person.objects.filter(last_name__startswith="Белов").count() == 2
    listed = call(client, "GET", "/imports", secret).json()
    assert [j["status"] for j in listed["results"]] == ["done"]


def test_an_unreadable_file_is_refused_and_stores_nothing(client, tenant_a):
    response = client.post(
        "/api/v1/o/school-a/imports",
        {"kind": "student", "file": SimpleUploadedFile("x.csv", b"", "text/csv")},
        HTTP_AUTHORIZATION=f"Bearer {token(tenant_a)}",
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["message"]
    assert call(client, "GET", "/imports", token(tenant_a)).json()["count"] == 0


# --- Bases, pairs, questionnaires, indicators, orders --------------------------------------------


def test_mentee_base_lists_entries_without_hidden_people(client, tenant_a):
    org = tenant_a.organisation
    kept = MenteeFactory(person=data.student(org, last_name="Лосева"))
    gone = MenteeFactory(person=data.student(org, last_name="Ушедшая"))
    gone.person.consents.update(withdrawn_at=timezone.now())

    found = call(client, "GET", "/mentees", token(tenant_a)).json()

    assert [m["person"]["name"].split()[0] for m in found["results"]] == ["Лосева"]
    assert found["results"][0]["id"] == kept.pk


def test_pairs_with_members_and_a_mentor_sees_only_their_own(client, tenant_a):
    org = tenant_a.organisation
    pair = Mentorship.objects.get(pk=PAIRS["mentorship_pk"](org))
    secret = token(tenant_a, scopes={"mentorships": "read"})

    found = call(client, "GET", "/mentorships", secret).json()
    one = call(client, "GET", f"/mentorships/{pair.pk}", secret).json()

    assert pair.pk in [m["id"] for m in found["results"]]
    assert one["mentor"]["id"] == pair.mentor.person_id
    assert [m["mentee_id"] for m in one["members"]] == list(
        pair.members.values_list("mentee_id", flat=True)
    )
    # A mentor who is in no pair sees none, and no pair of somebody else.
    mentor_token = token(tenant_a, Role.MENTOR, {"mentorships": "read"})
    assert call(client, "GET", "/mentorships", mentor_token).json()["count"] == 0
    assert call(client, "GET", f"/mentorships/{pair.pk}", mentor_token).status_code == 404


def test_anonymous_campaign_results_are_withheld_below_the_minimum(client, tenant_a):
    org = tenant_a.organisation
    for n in range(3):
        data.student(org, last_name=f"Ученик{n}", email=f"s{n}@example.ru")
    campaign = data.send(data.programme_of(org), data.questionnaire(org), anonymous=True)
    secret = token(tenant_a, scopes={"questionnaires": "read"})

    results = call(client, "GET", f"/campaigns/{campaign.pk}/results", secret).json()

    assert results == {
        "campaign_id": campaign.pk,
        "withheld": True,
        "answered": 0,
        "minimum": 5,
        "questions": [],
    }
    listed = call(client, "GET", "/campaigns", secret).json()["results"]
    assert [(c["id"], c["anonymous"]) for c in listed] == [(campaign.pk, True)]


def test_coverage_is_given_per_programme_year(client, tenant_a):
    data.programme_of(tenant_a.organisation)

    found = call(client, "GET", "/coverage", token(tenant_a, scopes={"indicators": "read"}))

    assert found.status_code == 200
    year = found.json()[0]
    assert set(year["students"]) == {"part", "whole", "percent"}
    assert year["label"] == f"{year['start_year']}/{year['start_year'] + 1}"


def test_orders_metadata_and_document(client, tenant_a):
    order_pk = ORDERS["order_pk"](tenant_a.organisation)
    secret = token(tenant_a, scopes={"orders": "read"})

    listed = call(client, "GET", "/orders", secret).json()
    document = call(client, "GET", f"/orders/{order_pk}/document", secret)

    assert listed["results"][0]["id"] == order_pk and listed["results"][0]["has_document"]
    assert document.status_code == 200
    assert b"".join(document.streaming_content) == b"PK"


# --- Schema and docs ---------------------------------------------------------------------------


def test_schema_and_docs_are_served_from_our_own_static_files(client):
    schema = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")

    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    # The settings are a JSON data block, not a script: the CSP forbids inline scripts.
    assert '<script type="application/json" id="swagger-settings">' in page
    assert "unsafe-inline" not in docs["Content-Security-Policy"]


def test_a_feedback_comment_is_read_only_by_its_author_and_those_who_run_the_programme(
    client, tenant_a
):
    from nastavnik.meetings.models import Feedback
    from nastavnik.meetings.tests.isolation import pair_meeting

    meeting = pair_meeting(tenant_a.organisation)
    pair = meeting.mentorship
    mentee_person = pair.members.first().mentee.person
    Feedback.objects.create(
        organisation=tenant_a.organisation,
        meeting=meeting,
        author=mentee_person,
        side="mentee",
        rating=2,
        comment="Наставник опаздывает",
    )
    # The pair's mentor has an account: the token is theirs.
    Person.objects.filter(pk=pair.mentor.person_id).update(user=tenant_a.user(Role.MENTOR))
    scopes = {"mentorships": "read"}

    by_curator = call(client, "GET", "/meetings", token(tenant_a, scopes=scopes)).json()
    by_mentor = call(client, "GET", "/meetings", token(tenant_a, Role.MENTOR, scopes)).json()

    assert by_curator["results"][0]["feedback"][0]["comment"] == "Наставник опаздывает"
    seen = by_mentor["results"][0]["feedback"][0]
    assert seen["rating"] == 2 and seen["comment"] is None


def test_a_list_whose_columns_are_not_recognised_is_refused_and_not_kept(client, tenant_a):
    from nastavnik.people.models import ImportJob

    unknown = "Колонка1;Колонка2\nБелова;Дарья\n".encode()

    response = client.post(
        "/api/v1/o/school-a/imports",
        {"kind": "student", "file": SimpleUploadedFile("x.csv", unknown, "text/csv")},
        HTTP_AUTHORIZATION=f"Bearer {token(tenant_a)}",
    )

    assert response.status_code == 422
    assert all(error["message"] for error in response.json()["errors"])
    assert not ImportJob.objects.exists()


def test_a_curator_who_mentors_the_pair_reads_its_feedback_as_its_mentor(client, tenant_a):
    """A participant's own side wins over the curator's view (`side_of`): the curator who is
    the pair's mentor reads their own comment, not the mentee's."""
    from nastavnik.meetings.models import Feedback
    from nastavnik.meetings.tests.isolation import pair_meeting

    meeting = pair_meeting(tenant_a.organisation)
    pair = meeting.mentorship
    mentee_person = pair.members.first().mentee.person
    for author, side, comment in (
        (mentee_person, "mentee", "Наставник опаздывает"),
        (pair.mentor.person, "mentor", "Готовимся к олимпиаде"),
    ):
        Feedback.objects.create(
            organisation=tenant_a.organisation,
            meeting=meeting,
            author=author,
            side=side,
            rating=4,
            comment=comment,
        )
    curator = tenant_a.user(Role.CURATOR)
    scopes = {"mentorships": "read"}
    looking_on = call(client, "GET", "/meetings", token(tenant_a, scopes=scopes)).json()
    Person.objects.filter(pk=pair.mentor.person_id).update(user=curator)

    mentoring = call(client, "GET", "/meetings", token(tenant_a, scopes=scopes)).json()

    def comments(page):
        return {f["side"]: f["comment"] for f in page["results"][0]["feedback"]}

    assert comments(looking_on) == {
        "mentee": "Наставник опаздывает",
        "mentor": "Готовимся к олимпиаде",
    }
    assert comments(mentoring) == {"mentee": None, "mentor": "Готовимся к олимпиаде"}


def test_a_page_that_is_not_full_and_a_page_past_the_end_give_the_count(client, tenant_a):
    for last_name in ("Акимова", "Белов", "Веселов"):
        PersonFactory(organisation=tenant_a.organisation, last_name=last_name, grade=9)
    secret = token(tenant_a)

    pages = [
        call(client, "GET", f"/people?grade=9&page_size=2&page={n}", secret).json()
        for n in (1, 2, 3)
    ]

    assert [(p["count"], p["pages"], len(p["results"])) for p in pages] == [
        (3, 2, 2),
        (3, 2, 1),
        (3, 2, 0),
    ]
    nothing = call(client, "GET", "/people?grade=11", secret).json()
    assert (nothing["count"], nothing["pages"], nothing["results"]) == (0, 1, [])


def test_the_last_use_of_a_token_is_written_at_most_once_a_minute(client, tenant_a):
    secret = token(tenant_a)
    used = tenant_a.user(Role.CURATOR).api_tokens.get

    call(client, "GET", "/orders", secret)
    first = used().last_used_at
    call(client, "GET", "/orders", secret)
    assert first is not None and used().last_used_at == first

    long_ago = timezone.now() - timedelta(minutes=2)
    tenant_a.user(Role.CURATOR).api_tokens.update(last_used_at=long_ago)
    call(client, "GET", "/orders", secret)
    assert used().last_used_at > long_ago + timedelta(minutes=1)


# The queries of one call of each list once its token was used (the last use is written at
# most once a minute), a full page (so the count is asked) and the rate limit counted in the
# tests' process-local cache: the token with its owner's roles, the count, the page and what
# the page's rows bring along. More would be a query a row or a lost join.
LIST_QUERIES = {
    "/people?page_size=1": 3,
    "/mentees?page_size=1": 3,
    "/mentors?page_size=1": 3,
    "/mentorships?page_size=1": 5,
    "/meetings?page_size=1": 6,
    "/plan-items?page_size=1": 3,
    "/campaigns?page_size=1": 3,
    "/orders?page_size=1": 3,
}


@pytest.mark.parametrize(("path", "most"), LIST_QUERIES.items())
def test_a_list_call_costs_a_few_queries(
    client, tenant_a, django_assert_max_num_queries, path, most
):
    from nastavnik.meetings.tests.isolation import pair_meeting
    from nastavnik.plans.tests.isolation import ROW_MAKERS as PLANS
    from nastavnik.questionnaires.tests.isolation import ROW_MAKERS as QUESTIONNAIRES

    org = tenant_a.organisation
    pair = pair_meeting(org).mentorship
    PLANS["plan_item_pk"](org)
    QUESTIONNAIRES["campaign_pk"](org)
    ORDERS["order_pk"](org)
    # The curator is in the registry too: whether they take part in a pair is asked.
    PersonFactory(organisation=org, user=tenant_a.user(Role.CURATOR))
    assert pair.members.exists()
    secret = token(tenant_a, scopes={area: "read" for area in WRITE_ALL})
    call(client, "GET", path, secret)

    with django_assert_max_num_queries(most):
        answer = call(client, "GET", path, secret)

    assert answer.status_code == 200
