"""Blind scoring through the doors people use: before the decision no page, export or audit
entry shows anybody — the curator and the director included — a juror's score, comment or a
mean; a juror sees their own scores and whether they finished. After the decision the results
show with the jurors' names. A tie at the top waits for an explicit decision."""

from __future__ import annotations

import importlib
import zipfile
from io import BytesIO

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from nastavnik.audit.models import AuditEntry, AuditObject
from nastavnik.awards import services
from nastavnik.awards.models import Award, Nomination, Nominee, TieDecision
from nastavnik.awards.tests.data import jury, nomination_with_jury, world
from nastavnik.documents.render import docx_text
from nastavnik.orgs.models import Role

pytestmark = pytest.mark.django_db

COMMENT = "ОТЗЫВ-Ж7Q-неповторимый"
# The teacher's mean is 26/3 and the student's 19/3: numbers nothing else on a page prints.
MEANS = ("8.67", "8,67", "6.33", "6,33")
JUROR_ROLES = (Role.DIRECTOR, Role.CURATOR, Role.COMMISSION_MEMBER)


def _url(name: str, tenant, **kwargs) -> str:
    return reverse(f"awards:{name}", kwargs={"org_slug": tenant.organisation.slug, **kwargs})


def _scored_nomination(tenant) -> tuple[Nomination, Nominee, Nominee]:
    data = world(tenant.organisation)
    nomination = nomination_with_jury(tenant, data.programme, "mentor_of_the_year")
    teacher = services.nominee_add(nomination, mentor=data.teacher, by=None)
    student = services.nominee_add(nomination, mentor=data.student, by=None)
    for user, high, low in zip(jury(tenant), (9, 8, 9), (7, 6, 6), strict=True):
        services.score_save(teacher, user, high, f"{COMMENT} {user.pk}", by=user)
        services.score_save(student, user, low, "", by=user)
    return nomination, teacher, student


def _pages(tenant, nomination: Nomination) -> list[str]:
    programme_pk = nomination.programme_id
    return [
        _url("list", tenant),
        _url("documents", tenant, programme_pk=programme_pk),
        *(
            _url(name, tenant, nomination_pk=nomination.pk)
            for name in ("nomination", "score", "decide", "jury", "nominee_add")
        ),
    ]


def _shows_no_score(text: str, own: int | None = None) -> None:
    """No comment but the reader's own, and no mean."""
    assert COMMENT not in text.replace(f"{COMMENT} {own}", "")
    for mean in MEANS:
        assert mean not in text


def test_before_the_decision_nobody_sees_a_score_or_a_mean(client, tenant_a):
    nomination, _teacher, _student = _scored_nomination(tenant_a)
    for role in (*JUROR_ROLES, Role.SPECIALIST, Role.MENTOR):
        client.force_login(tenant_a.user(role))
        for url in _pages(tenant_a, nomination):
            response = client.get(url)
            assert response.status_code in (200, 403, 404), (role, url)
            _shows_no_score(response.content.decode(), own=tenant_a.user(role).pk)
            if response.status_code == 200 and response.context.get("nominees"):
                rows = response.context["nominees"]
                if isinstance(rows, list) and rows and isinstance(rows[0], dict):
                    assert all(row["scores"] == [] for row in rows), (role, url)
                    assert response.context["results"] == []
    # There is no document yet to download.
    client.force_login(tenant_a.user(Role.CURATOR))
    zipped = client.get(_url("zip", tenant_a, programme_pk=nomination.programme_id))
    assert zipped.status_code == 302 and not Award.objects.exists()


def test_a_juror_sees_their_own_scores_and_whether_they_finished(client, tenant_a):
    nomination, teacher, _student = _scored_nomination(tenant_a)
    member = tenant_a.user(Role.COMMISSION_MEMBER)
    client.force_login(member)
    page = client.get(_url("nomination", tenant_a, nomination_pk=nomination.pk)).content.decode()
    assert gettext("your score: %(score)s") % {"score": 9} in page
    assert gettext("You have scored every nominee") in page
    # The other jurors' progress is for those who run the awards.
    assert tenant_a.user(Role.CURATOR).get_full_name() + " — " not in page
    score_page = client.get(_url("score", tenant_a, nomination_pk=nomination.pk))
    form = score_page.context["form"]
    assert form.initial[f"score_{teacher.pk}"] == "9"
    assert form.initial[f"comment_{teacher.pk}"] == f"{COMMENT} {member.pk}"
    assert f"{COMMENT} {tenant_a.user(Role.CURATOR).pk}" not in score_page.content.decode()


def test_the_curator_sees_who_finished_and_counts_only(client, tenant_a):
    data = world(tenant_a.organisation)
    nomination = nomination_with_jury(tenant_a, data.programme, "mentor_of_the_year")
    teacher = services.nominee_add(nomination, mentor=data.teacher, by=None)
    director = tenant_a.user(Role.DIRECTOR)
    services.score_save(teacher, director, 7, COMMENT, by=director)
    client.force_login(tenant_a.user(Role.CURATOR))
    response = client.get(_url("nomination", tenant_a, nomination_pk=nomination.pk))
    progress = {row.juror.user_id: row.finished for row in response.context["jury_progress"]}
    assert progress == {user.pk: user == director for user in jury(tenant_a)}
    assert [(row.nominee, row.scores) for row in response.context["nominee_progress"]] == [
        (teacher, 1)
    ]
    assert COMMENT not in response.content.decode()


def test_after_the_decision_the_results_show_with_the_jurors_names(client, tenant_a):
    nomination, teacher, student = _scored_nomination(tenant_a)
    client.force_login(tenant_a.user(Role.CURATOR))
    done = client.post(_url("decide", tenant_a, nomination_pk=nomination.pk), {"prizes": "2"})
    assert done.status_code == 302
    teacher.refresh_from_db()
    student.refresh_from_db()
    assert (teacher.place, student.place) == (1, 2)

    for role in JUROR_ROLES:
        client.force_login(tenant_a.user(role))
        response = client.get(_url("nomination", tenant_a, nomination_pk=nomination.pk))
        page = response.content.decode()
        assert "8,67" in page or "8.67" in page
        for user in jury(tenant_a):
            assert escape(user.get_full_name()) in page
        assert [r.mean for r in response.context["results"]] == [8.67, 6.33]
        # The comments stay with those who run the awards.
        assert (COMMENT in page) is (role != Role.COMMISSION_MEMBER)

    # The diplomas are made from the decision, not from the scores.
    client.force_login(tenant_a.user(Role.CURATOR))
    zipped = client.get(_url("zip", tenant_a, programme_pk=nomination.programme_id))
    assert zipped.status_code == 200
    with zipfile.ZipFile(BytesIO(zipped.content)) as archive:
        for name in archive.namelist():
            _shows_no_score(docx_text(archive.read(name)))
    for award in Award.objects.all():
        docx = client.get(_url("award_docx", tenant_a, award_pk=award.pk))
        assert docx.status_code == 200
        _shows_no_score(docx_text(docx.content))


def test_the_audit_log_holds_no_score_before_or_after_the_decision(client, tenant_a):
    nomination, teacher, _student = _scored_nomination(tenant_a)
    curator = tenant_a.user(Role.CURATOR)
    services.score_save(teacher, curator, 10, "исправлено", by=curator)  # a correction
    entries = AuditEntry.objects.filter(object_type=AuditObject.JURY_SCORE)
    assert entries.count() == 7
    assert all(entry.changes == {} for entry in entries)
    client.force_login(tenant_a.user(Role.DIRECTOR))
    log = reverse("audit:log", kwargs={"org_slug": tenant_a.organisation.slug})
    before = client.get(log).content.decode()
    assert COMMENT not in before and "исправлено" not in before

    services.nomination_decide(nomination, by=curator)
    after = client.get(log).content.decode()
    assert COMMENT not in after and "исправлено" not in after
    assert all(entry.changes == {} for entry in entries.all())


def test_old_audit_entries_lose_their_score_values(tenant_a):
    _nomination, _teacher, _student = _scored_nomination(tenant_a)
    entry = AuditEntry.objects.filter(object_type=AuditObject.JURY_SCORE).first()
    entry.changes = {"score": [None, 9], "comment": [None, COMMENT]}
    entry.save(update_fields=["changes"])
    migration = importlib.import_module("nastavnik.awards.migrations.0002_blind_scoring")
    migration.scrub_score_values(apps, None)
    entry.refresh_from_db()
    assert entry.changes == {}


def _tied(tenant) -> tuple[Nomination, Nominee, Nominee]:
    data = world(tenant.organisation)
    nomination = nomination_with_jury(tenant, data.programme, "mentor_of_the_year")
    teacher = services.nominee_add(nomination, mentor=data.teacher, by=None)
    student = services.nominee_add(nomination, mentor=data.student, by=None)
    for user in jury(tenant):
        services.score_save(teacher, user, 8, by=user)
        services.score_save(student, user, 8, by=user)
    return nomination, teacher, student


def test_a_tie_at_the_top_needs_an_explicit_decision(client, tenant_a):
    nomination, teacher, student = _tied(tenant_a)
    client.force_login(tenant_a.user(Role.DIRECTOR))
    url = _url("decide", tenant_a, nomination_pk=nomination.pk)

    page = client.get(url)
    assert set(page.context["tied"]) == {teacher, student}
    assert "tie" in page.context["form"].fields

    for data in ({"prizes": "1"}, {"prizes": "1", "tie": "999999"}):
        refused = client.post(url, data)
        assert refused.status_code == 200
        assert refused.context["form"].errors["tie"]
    nomination.refresh_from_db()
    assert not nomination.is_decided
    assert not Nominee.objects.filter(place__isnull=False).exists()
    assert not Award.objects.exists()

    # The service refuses the same way when called without the form.
    with pytest.raises(Exception) as caught:
        services.nomination_decide(nomination, by=None)
    assert "tie" in str(caught.value.error_list[0].code)

    done = client.post(url, {"prizes": "2", "tie": str(student.pk)})
    assert done.status_code == 302
    nomination.refresh_from_db()
    teacher.refresh_from_db()
    student.refresh_from_db()
    assert nomination.tie_decision == TieDecision.CHOSEN
    assert (student.place, teacher.place) == (1, 2)


def test_a_tie_may_be_shared(client, tenant_a):
    nomination, teacher, student = _tied(tenant_a)
    client.force_login(tenant_a.user(Role.CURATOR))
    done = client.post(
        _url("decide", tenant_a, nomination_pk=nomination.pk), {"prizes": "3", "tie": "shared"}
    )
    assert done.status_code == 302
    teacher.refresh_from_db()
    student.refresh_from_db()
    assert (teacher.place, student.place) == (1, 1)
    nomination.refresh_from_db()
    assert nomination.tie_decision == TieDecision.SHARED
    page = client.get(_url("nomination", tenant_a, nomination_pk=nomination.pk)).content.decode()
    assert escape(gettext("The first place is shared")) in page
