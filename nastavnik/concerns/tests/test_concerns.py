"""The safeguarding channel through the doors its people use: the cabinets' forms, the
curator's and the psychologist's pages, the dashboards. Access is tested like tenancy: every
other role, another organisation and the people a concern is about get 404 or 403."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from nastavnik.audit.models import AuditAction, AuditEntry, AuditObject
from nastavnik.concerns.models import Concern, ConcernStatus, Outcome, ReporterKind, Topic
from nastavnik.concerns.services import standing_key, standings
from nastavnik.matching.tests.data import mentor as new_mentor
from nastavnik.mentorships import services as mentorship_services
from nastavnik.mentorships.models import MentorAssignment, MentorshipStatus
from nastavnik.mentorships.tests.data import pair_in
from nastavnik.orgs.models import Role
from nastavnik.orgs.tests.factories import MembershipFactory, UserFactory
from nastavnik.people.tests.factories import PersonFactory
from nastavnik.people.validators import org_today
from nastavnik.plans.tests.data import two_pairs

TEXT = "Наставник не выходит на связь уже месяц, прошу другого наставника."


@pytest.fixture
def pairs(tenant_a):
    return two_pairs(tenant_a)


@pytest.fixture
def psychologist(tenant_a):
    user = tenant_a.user(Role.SPECIALIST)
    PersonFactory(organisation=tenant_a.organisation, user=user, position="Педагог-психолог")
    return user


def _url(org, name, **kwargs) -> str:
    return reverse(f"concerns:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _key(org, user, kind) -> str:
    return next(standing_key(s) for s in standings(org, user) if s.kind == kind)


def _raise(client, org, user, kind, **fields):
    client.force_login(user)
    data = {
        "standing": _key(org, user, kind),
        "topic": Topic.REPLACEMENT if kind != ReporterKind.MENTOR else Topic.PAIR,
        "text": TEXT,
        **fields,
    }
    return client.post(_url(org, "new"), data)


def _concern(pair, **fields) -> Concern:
    values = {
        "organisation": pair.mentorship.organisation,
        "reporter": pair.mentee,
        "reporter_user": pair.mentee_user,
        "reporter_kind": ReporterKind.MENTEE,
        "mentorship": pair.mentorship,
        "about": pair.mentor,
        "topic": Topic.MENTOR,
        "text": TEXT,
        **fields,
    }
    return Concern.objects.create(**values)


def _state():
    return (
        list(Concern.objects.order_by("pk").values_list()),
        AuditEntry.objects.filter(object_type=AuditObject.CONCERN).count(),
    )


# Raising, as each kind of reporter


def test_the_cabinets_link_to_the_channel(client, pairs):
    org = pairs[0].mentorship.organisation
    for user, cabinet in (
        (pairs[0].mentee_user, "mentee"),
        (pairs[0].mentor_user, "mentor"),
        (pairs[0].guardian_user, "guardian"),
    ):
        client.force_login(user)
        content = client.get(reverse(f"cabinets:{cabinet}", kwargs={"org_slug": org.slug}))
        assert _url(org, "new") in content.content.decode()


def test_a_mentee_asks_for_another_mentor_and_the_curator_is_mailed_without_the_text(
    client, pairs, mailoutbox, django_capture_on_commit_callbacks
):
    ours = pairs[0]
    org = ours.mentorship.organisation
    with django_capture_on_commit_callbacks(execute=True):
        response = _raise(client, org, ours.mentee_user, ReporterKind.MENTEE, urgent="on")

    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(org, "own_detail", own_concern_pk=concern.pk)
    assert (concern.reporter, concern.reporter_kind, concern.child) == (
        ours.mentee,
        ReporterKind.MENTEE,
        None,
    )
    assert (concern.mentorship, concern.about, concern.topic) == (
        ours.mentorship,
        ours.mentor,
        Topic.REPLACEMENT,
    )
    assert concern.urgent and not concern.to_psychologist
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [f"curator@{org.slug}.ru"]
    assert TEXT not in mail.body and TEXT not in mail.subject
    assert concern.get_absolute_url() in mail.body


def test_a_guardian_raises_a_concern_for_the_child(client, pairs):
    ours = pairs[0]
    org = ours.mentorship.organisation
    response = _raise(client, org, ours.guardian_user, ReporterKind.GUARDIAN, topic=Topic.MENTOR)

    concern = Concern.objects.get()
    assert response.status_code == 302
    assert (concern.reporter, concern.child, concern.reporter_kind) == (
        ours.guardian,
        ours.mentee,
        ReporterKind.GUARDIAN,
    )
    assert concern.about == ours.mentor


def test_a_mentor_raises_a_concern_about_the_pair_shared_with_the_psychologist(
    client, pairs, psychologist, mailoutbox, django_capture_on_commit_callbacks
):
    ours = pairs[0]
    org = ours.mentorship.organisation
    with django_capture_on_commit_callbacks(execute=True):
        response = _raise(client, org, ours.mentor_user, ReporterKind.MENTOR, to_psychologist="on")

    concern = Concern.objects.get()
    assert response.status_code == 302
    assert (concern.reporter, concern.reporter_kind, concern.about) == (
        ours.mentor,
        ReporterKind.MENTOR,
        None,
    )
    assert sorted(mailoutbox[0].to) == sorted([f"curator@{org.slug}.ru", psychologist.email])


def test_the_mentor_is_never_mailed_about_a_concern_even_as_a_curator(
    client, pairs, mailoutbox, django_capture_on_commit_callbacks
):
    ours = pairs[0]
    org = ours.mentorship.organisation
    MembershipFactory(organisation=org, role=Role.CURATOR, user=ours.mentor_user)
    with django_capture_on_commit_callbacks(execute=True):
        _raise(client, org, ours.mentee_user, ReporterKind.MENTEE)

    assert mailoutbox[0].to == [f"curator@{org.slug}.ru"]


# Bad input: a clear message and nothing changed


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"text": "   "}, "text", "Write what happened: the text may not be empty."),
        (
            {"text": "Я" * 10_001},
            "text",
            "The text is too long: at most %(max)s characters, you wrote %(n)s.",
        ),
        ({"topic": "nonsense"}, "topic", "Choose what the concern is about."),
        ({"standing": "mentee-999999999-0"}, "standing", "Choose one of your own pairs."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(client, pairs, fields, field, message):
    ours = pairs[0]
    org = ours.mentorship.organisation
    before = _state()

    response = _raise(client, org, ours.mentee_user, ReporterKind.MENTEE, **fields)

    assert response.status_code == 200
    expected = gettext(message)
    if "%(max)s" in expected:
        expected = expected % {"max": 4000, "n": 10_001}
    assert response.context["form"].errors[field] == [expected]
    assert _state() == before


def test_the_pair_of_another_person_or_organisation_is_refused(client, pairs, tenant_b):
    ours, theirs = pairs
    org = ours.mentorship.organisation
    other = pair_in(tenant_b.organisation)
    before = _state()
    for foreign in (
        f"mentee-{theirs.mentorship.pk}-0",  # another mentee's pair
        f"guardian-{ours.mentorship.pk}-{theirs.mentee.pk}",  # someone else's child
        f"mentee-{other.pk}-0",  # a pair of another organisation
    ):
        response = _raise(client, org, ours.mentee_user, ReporterKind.MENTEE, standing=foreign)
        assert response.context["form"].errors["standing"] == [
            gettext("Choose one of your own pairs.")
        ]
    assert _state() == before


def test_a_mentor_does_not_ask_to_replace_themselves(client, pairs):
    ours = pairs[0]
    org = ours.mentorship.organisation
    before = _state()

    response = _raise(client, org, ours.mentor_user, ReporterKind.MENTOR, topic=Topic.REPLACEMENT)

    assert response.context["form"].errors["topic"] == [
        gettext("A mentor raises a concern about the pair or something else.")
    ]
    assert _state() == before


# Who reads a concern


def _handled_statuses(client, org, concern, users) -> dict[str, int]:
    statuses = {}
    for name, user in users.items():
        client.force_login(user)
        statuses[name] = client.get(_url(org, "detail", concern_pk=concern.pk)).status_code
    return statuses


def test_the_visibility_matrix(client, pairs, tenant_a, tenant_b, psychologist):
    ours, theirs = pairs
    org = tenant_a.organisation
    concern = _concern(ours)
    shared = _concern(ours, to_psychologist=True, topic=Topic.PAIR)
    users = {role: tenant_a.user(role) for role in Role.values}
    users["other mentor"] = theirs.mentor_user
    users["outsider curator"] = tenant_b.user(Role.CURATOR)
    users["outsider director"] = tenant_b.user(Role.DIRECTOR)

    statuses = _handled_statuses(client, org, concern, users)

    assert statuses == {
        "director": 200,
        "curator": 200,
        # The psychologist reads only what the reporter shared with them.
        "specialist": 404,
        "mentor": 403,
        "mentee": 403,
        "guardian": 403,
        "commission_member": 403,
        "other mentor": 403,
        "outsider curator": 404,
        "outsider director": 404,
    }
    assert _handled_statuses(client, org, shared, {"psychologist": psychologist}) == {
        "psychologist": 200
    }
    # A specialist who is not the psychologist (a class teacher) reads none.
    teacher = UserFactory(email="teacher@school-a.ru")
    MembershipFactory(organisation=org, role=Role.SPECIALIST, user=teacher)
    PersonFactory(organisation=org, user=teacher, position="Классный руководитель")
    assert _handled_statuses(client, org, shared, {"teacher": teacher}) == {"teacher": 403}
    # The reporter's own page: the reporter only.
    for user in (ours.mentor_user, theirs.mentee_user, ours.guardian_user, users["curator"]):
        client.force_login(user)
        assert client.get(_url(org, "own_detail", own_concern_pk=concern.pk)).status_code == 404
    client.force_login(tenant_b.user(Role.MENTEE))
    assert client.get(_url(org, "own_detail", own_concern_pk=concern.pk)).status_code == 404


def test_the_mentor_it_is_about_never_reads_it_even_as_curator_or_psychologist(client, pairs):
    ours = pairs[0]
    org = ours.mentorship.organisation
    concern = _concern(ours, to_psychologist=True)
    MembershipFactory(organisation=org, role=Role.CURATOR, user=ours.mentor_user)
    MembershipFactory(organisation=org, role=Role.DIRECTOR, user=ours.mentor_user)
    client.force_login(ours.mentor_user)
    before = _state()

    assert client.get(_url(org, "detail", concern_pk=concern.pk)).status_code == 404
    response = client.post(
        _url(org, "detail", concern_pk=concern.pk),
        {"outcome": Outcome.CLOSED, "answer": "Всё хорошо"},
    )
    assert response.status_code == 404
    listed = client.get(_url(org, "list"))
    assert listed.context["open"] == []
    dashboard = client.get(reverse("orgs:dashboard", kwargs={"org_slug": org.slug}))
    assert "concerns_open" not in dashboard.context or not dashboard.context["concerns_open"]
    assert _state() == before


def test_a_replaced_mentor_still_never_reads_it(client, pairs):
    ours = pairs[0]
    org = ours.mentorship.organisation
    concern = _concern(ours)
    today = org_today(org)
    mentorship_services.mentor_replace(
        ours.mentorship,
        new_mentor=new_mentor(ours.mentorship.programme, grade=11),
        ground=MentorAssignment.Ground.REQUEST,
        on=today,
        by=None,
    )
    MembershipFactory(organisation=org, role=Role.CURATOR, user=ours.mentor_user)
    client.force_login(ours.mentor_user)

    assert client.get(_url(org, "detail", concern_pk=concern.pk)).status_code == 404


def test_the_list_shows_no_text_and_no_names(client, pairs, tenant_a):
    ours = pairs[0]
    org = tenant_a.organisation
    _concern(ours)
    client.force_login(tenant_a.user(Role.CURATOR))

    content = client.get(_url(org, "list")).content.decode()

    assert gettext("A request for another mentor") in content or gettext("The mentor") in content
    assert TEXT not in content
    assert ours.mentee.last_name not in content and ours.mentor.last_name not in content


# Urgent concerns at the top of the dashboards


@pytest.mark.parametrize("role", [Role.CURATOR, Role.DIRECTOR])
def test_an_urgent_concern_tops_the_dashboard(client, pairs, tenant_a, role):
    ours, theirs = pairs
    org = tenant_a.organisation
    calm = _concern(theirs, reporter=theirs.mentee, reporter_user=theirs.mentee_user)
    urgent = _concern(ours, urgent=True, topic=Topic.REPLACEMENT)
    client.force_login(tenant_a.user(role))

    response = client.get(reverse("orgs:dashboard", kwargs={"org_slug": org.slug}))

    assert response.context["concerns_open"] == [urgent, calm]
    assert response.context["concerns_urgent"] == 1
    content = response.content.decode()
    header_end = content.index("</header>", content.index('class="page-header"'))
    section = content.index('id="concerns-heading"')
    assert header_end < section < content.index('id="people-heading"')
    assert urgent.get_absolute_url() in content
    assert TEXT not in content


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.MENTOR, Role.MENTEE])
def test_other_roles_see_no_concerns_on_the_dashboard(client, pairs, tenant_a, role):
    _concern(pairs[0], urgent=True)
    client.force_login(tenant_a.user(role))

    response = client.get(
        reverse("orgs:dashboard", kwargs={"org_slug": tenant_a.organisation.slug})
    )

    assert 'id="concerns-heading"' not in response.content.decode()


# The curator's answer and outcome, seen by the reporter


def test_the_reporter_sees_the_status_and_the_answer_not_the_note(client, pairs, tenant_a):
    ours = pairs[0]
    org = tenant_a.organisation
    concern = _concern(ours)
    client.force_login(ours.mentee_user)
    content = client.get(_url(org, "own_detail", own_concern_pk=concern.pk)).content.decode()
    assert gettext("Received") in content
    assert gettext("No answer yet. The curator will answer here.") in content

    client.force_login(tenant_a.user(Role.CURATOR))
    response = client.post(
        _url(org, "detail", concern_pk=concern.pk),
        {
            "outcome": Outcome.TALKED,
            "answer": "Я поговорила с наставником, он будет на связи по вторникам.",
            "note": "Наставник болел, не предупредил.",
        },
    )
    assert response.status_code == 302

    client.force_login(ours.mentee_user)
    content = client.get(_url(org, "own_detail", own_concern_pk=concern.pk)).content.decode()
    assert gettext("Being dealt with") in content
    assert "он будет на связи по вторникам" in content
    assert "Наставник болел" not in content
    own = client.get(_url(org, "own_list")).content.decode()
    assert gettext("Being dealt with") in own


def test_the_curator_replaces_the_mentor_and_links_the_replacement(client, pairs, tenant_a):
    ours = pairs[0]
    org = tenant_a.organisation
    concern = _concern(ours, topic=Topic.REPLACEMENT, urgent=True)
    client.force_login(tenant_a.user(Role.CURATOR))
    page = client.get(_url(org, "detail", concern_pk=concern.pk))
    replace_url = page.context["replace_url"]
    # The pair's own replacement page opens with the ground of a justified request chosen.
    replace_page = client.get(replace_url)
    assert replace_page.context["form"]["ground"].value() == MentorAssignment.Ground.REQUEST

    mentorship_services.mentor_replace(
        ours.mentorship,
        new_mentor=new_mentor(ours.mentorship.programme, grade=11),
        ground=MentorAssignment.Ground.REQUEST,
        on=org_today(org),
        by=tenant_a.user(Role.CURATOR),
    )
    replacement = ours.mentorship.assignments.exclude(ground="").get()
    response = client.post(
        _url(org, "detail", concern_pk=concern.pk),
        {
            "outcome": Outcome.REPLACED,
            "replacement": str(replacement.pk),
            "answer": "Тебе назначен новый наставник.",
            "close": "on",
        },
    )

    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.outcome, concern.replacement) == (
        ConcernStatus.CLOSED,
        Outcome.REPLACED,
        replacement,
    )
    content = client.get(_url(org, "detail", concern_pk=concern.pk)).content.decode()
    assert ours.mentorship.get_absolute_url() in content
    assert replacement.mentor.person.full_name in content
    client.force_login(tenant_a.user(Role.DIRECTOR))
    dashboard = client.get(reverse("orgs:dashboard", kwargs={"org_slug": org.slug}))
    assert dashboard.context.get("concerns_open") in (None, [])


def test_the_curator_links_an_early_completion(client, pairs, tenant_a):
    ours = pairs[0]
    org = tenant_a.organisation
    concern = _concern(ours, topic=Topic.PAIR)
    client.force_login(tenant_a.user(Role.CURATOR))
    url = _url(org, "detail", concern_pk=concern.pk)
    before = _state()
    refused = client.post(url, {"outcome": Outcome.COMPLETED_EARLY, "answer": "Завершили"})
    assert refused.context["form"].errors["outcome"] == [
        gettext("The pair is not completed early; complete it first through the pair's page.")
    ]
    assert _state()[0] == before[0]

    mentorship_services.mentorship_complete_early(
        ours.mentorship, ended_on=org_today(org), reason="Цели достигнуты", by=None
    )
    response = client.post(url, {"outcome": Outcome.COMPLETED_EARLY, "answer": "Завершили"})

    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.outcome == Outcome.COMPLETED_EARLY
    assert concern.mentorship.status == MentorshipStatus.COMPLETED_EARLY
    content = client.get(url).content.decode()
    assert gettext("the early completion of the pair") in content


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"outcome": ""}, "outcome", "Choose what was done."),
        (
            {"outcome": Outcome.REPLACED},
            "replacement",
            "Choose the replacement of this pair's mentor; replace the mentor first through "
            "the pair's page.",
        ),
        (
            {"outcome": Outcome.TALKED, "replacement": "999999999"},
            "replacement",
            "Choose one of the replacements of this pair's mentor.",
        ),
        (
            {"outcome": Outcome.TALKED, "answer": "Я" * 10_001},
            "answer",
            "The text is too long: at most %(max)s characters, you wrote %(n)s.",
        ),
        (
            {"outcome": Outcome.TALKED, "close": "on"},
            "answer",
            "Write the answer to the reporter before closing.",
        ),
    ],
)
def test_a_bad_outcome_is_refused_and_changes_nothing(
    client, pairs, tenant_a, data, field, message
):
    concern = _concern(pairs[0])
    client.force_login(tenant_a.user(Role.CURATOR))
    before = list(Concern.objects.values_list())

    response = client.post(_url(tenant_a.organisation, "detail", concern_pk=concern.pk), data)

    assert response.status_code == 200
    expected = gettext(message)
    if "%(max)s" in expected:
        expected = expected % {"max": 4000, "n": 10_001}
    assert response.context["form"].errors[field] == [expected]
    assert list(Concern.objects.values_list()) == before


def test_a_replacement_of_another_pair_is_not_linked(client, pairs, tenant_a):
    ours, theirs = pairs
    org = tenant_a.organisation
    mentorship_services.mentor_replace(
        theirs.mentorship,
        new_mentor=new_mentor(theirs.mentorship.programme, grade=11),
        ground=MentorAssignment.Ground.REQUEST,
        on=org_today(org),
        by=None,
    )
    foreign = theirs.mentorship.assignments.exclude(ground="").get()
    concern = _concern(ours)
    client.force_login(tenant_a.user(Role.CURATOR))

    response = client.post(
        _url(org, "detail", concern_pk=concern.pk),
        {"outcome": Outcome.REPLACED, "replacement": str(foreign.pk)},
    )

    assert response.context["form"].errors["replacement"] == [
        gettext("Choose one of the replacements of this pair's mentor.")
    ]
    concern.refresh_from_db()
    assert concern.replacement is None and concern.outcome == ""


def test_the_psychologist_reads_but_does_not_record(client, pairs, psychologist, tenant_a):
    concern = _concern(pairs[0], to_psychologist=True)
    client.force_login(psychologist)
    url = _url(tenant_a.organisation, "detail", concern_pk=concern.pk)

    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    assert client.post(url, {"outcome": Outcome.CLOSED, "answer": "x"}).status_code == 403
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW


# Every read is audited, without the text


def test_every_read_is_audited_without_the_text(client, pairs, tenant_a, psychologist):
    ours = pairs[0]
    org = tenant_a.organisation
    concern = _concern(ours, to_psychologist=True)
    readers = [tenant_a.user(Role.CURATOR), tenant_a.user(Role.DIRECTOR), psychologist]
    for user in readers:
        client.force_login(user)
        client.get(_url(org, "detail", concern_pk=concern.pk))
    client.force_login(ours.mentee_user)
    client.get(_url(org, "own_detail", own_concern_pk=concern.pk))
    # Refused reads are no reads.
    client.force_login(ours.mentor_user)
    client.get(_url(org, "detail", concern_pk=concern.pk))

    entries = AuditEntry.objects.filter(
        object_type=AuditObject.CONCERN, object_id=concern.pk, action=AuditAction.READ
    ).order_by("pk")
    assert [e.actor for e in entries] == [*readers, ours.mentee_user]
    assert all(e.organisation == org and e.person == ours.mentee for e in entries)
    assert all(TEXT not in e.object_label and TEXT not in str(e.changes) for e in entries)


def test_the_audit_log_hides_a_concern_from_the_mentor_it_is_about(client, pairs, tenant_a):
    ours = pairs[0]
    org = tenant_a.organisation
    concern = _concern(ours)
    client.force_login(tenant_a.user(Role.CURATOR))
    client.get(_url(org, "detail", concern_pk=concern.pk))
    log_url = reverse("audit:log", kwargs={"org_slug": org.slug})
    label = f"{gettext('Concern in the safeguarding channel')} №{concern.pk}"
    assert label in client.get(log_url).content.decode()

    MembershipFactory(organisation=org, role=Role.CURATOR, user=ours.mentor_user)
    client.force_login(ours.mentor_user)
    content = client.get(log_url).content.decode()

    assert label not in content


def test_something_else_troubling_needs_no_pair(client, pairs, tenant_a):
    ours = pairs[0]
    org = tenant_a.organisation

    response = _raise(
        client, org, ours.mentee_user, ReporterKind.MENTEE, standing="", topic=Topic.OTHER
    )

    concern = Concern.objects.get()
    assert response.status_code == 302
    assert (concern.reporter, concern.mentorship, concern.about) == (ours.mentee, None, None)
    before = _state()
    refused = _raise(
        client, org, ours.mentee_user, ReporterKind.MENTEE, standing="", topic=Topic.REPLACEMENT
    )
    assert refused.context["form"].errors["standing"] == [
        gettext("Choose the pair the concern is about, or the topic «other».")
    ]
    assert _state() == before


def test_the_list_and_the_dashboard_take_as_many_queries_for_one_row_as_for_three(
    client, pairs, tenant_a
):
    org = tenant_a.organisation
    client.force_login(tenant_a.user(Role.CURATOR))
    urls = [_url(org, "list"), reverse("orgs:dashboard", kwargs={"org_slug": org.slug})]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    _concern(pairs[0])
    one = counts()
    _concern(pairs[0], urgent=True)
    _concern(pairs[1], reporter=pairs[1].mentee, reporter_user=pairs[1].mentee_user)
    assert counts() == one


def test_the_mentee_cabinet_asks_for_another_mentor_with_the_pair_chosen(client, pairs):
    ours = pairs[0]
    org = ours.mentorship.organisation
    client.force_login(ours.mentee_user)
    cabinet = client.get(reverse("cabinets:mentee", kwargs={"org_slug": org.slug}))
    link = _url(org, "new") + "?topic=replacement"
    assert link in cabinet.content.decode()

    form = client.get(link).context["form"]

    assert form["topic"].value() == Topic.REPLACEMENT
    assert form["standing"].value() == _key(org, ours.mentee_user, ReporterKind.MENTEE)
