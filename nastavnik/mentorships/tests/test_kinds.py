"""Kinds of mentoring on pairs and groups: the default a new one starts with (its form's
default of the year; a group is group mentoring), and the curator's change on the card — a
pair refused group mentoring, an unknown kind refused, the mentor and an outsider kept out."""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from nastavnik.audit.models import AuditEntry, AuditObject
from nastavnik.catalogue.models import MentoringKind
from nastavnik.matching.tests.data import mentee, mentor
from nastavnik.mentorships import services
from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.tests.data import active_pair
from nastavnik.orgs.models import Role
from nastavnik.programmes.models import ProgrammeForm, ProgrammeStatus
from nastavnik.programmes.tests.data import builtin_form

GROUP_ONLY = (
    "Group mentoring is the kind of a group: a pair of one mentor and one mentee takes "
    "another kind."
)


def url(name, pair, slug="school-a"):
    return reverse(f"mentorships:{name}", kwargs={"org_slug": slug, "mentorship_pk": pair.pk})


def _kind(pair) -> str:
    return Mentorship.objects.get(pk=pair.pk).kind


# --- The default -------------------------------------------------------------------------------


def one_to_one(programme, form, started_on, planned_end, **fields):
    """A pair of a new mentor and a new mentee of the programme, in the built-in `form`."""
    return services.mentorship_create(
        programme,
        form=builtin_form(form),
        mentor=mentor(programme),
        members=[services.NewMember(mentee(programme))],
        started_on=started_on,
        planned_end=planned_end,
        by=None,
        **fields,
    )


def test_a_pair_starts_with_its_forms_default_and_a_group_as_a_group(programme):
    ProgrammeForm.objects.filter(programme=programme, form__code="student-student").update(
        default_kind=MentoringKind.VIRTUAL
    )
    assert active_pair(programme).kind == MentoringKind.VIRTUAL
    assert active_pair(programme, mentees=3).kind == MentoringKind.GROUP


def test_a_pair_of_a_form_outside_the_programme_or_of_the_plain_default_is_traditional(
    programme,
):
    assert active_pair(programme).kind == MentoringKind.TRADITIONAL
    outside = one_to_one(
        programme,
        "employer-pupil",
        programme.academic_year.starts_on,
        programme.academic_year.ends_on,
    )
    assert outside.kind == MentoringKind.TRADITIONAL


def test_a_kind_given_at_creation_wins_but_a_pair_is_never_group_mentoring(programme):
    chosen = active_pair(programme)
    made = one_to_one(
        programme,
        "student-student",
        chosen.started_on,
        chosen.planned_end,
        kind=MentoringKind.REVERSE,
    )
    assert made.kind == MentoringKind.REVERSE
    count = Mentorship.objects.count()
    with pytest.raises(ValidationError) as caught:
        one_to_one(
            programme,
            "student-student",
            chosen.started_on,
            chosen.planned_end,
            kind=MentoringKind.GROUP,
        )
    assert gettext(GROUP_ONLY) in caught.value.messages
    assert Mentorship.objects.count() == count


# --- The curator's change ----------------------------------------------------------------------


def test_the_curator_changes_the_kind_on_the_card(curator_client, programme):
    pair = active_pair(programme)
    card = curator_client.get(url("detail", pair)).content.decode()
    assert gettext("Traditional (one to one)") in card
    assert url("kind", pair) in card
    form = curator_client.get(url("kind", pair)).content.decode()
    # A pair is not offered group mentoring.
    assert 'value="situational"' in form and 'value="group"' not in form

    response = curator_client.post(url("kind", pair), {"kind": MentoringKind.SITUATIONAL})
    assert response.status_code == 302 and response["Location"] == url("detail", pair)
    assert _kind(pair) == MentoringKind.SITUATIONAL
    assert gettext("Situational") in curator_client.get(url("detail", pair)).content.decode()
    entries = AuditEntry.objects.filter(object_type=AuditObject.MENTORSHIP, object_id=pair.pk)
    entry = entries.order_by("pk").last()
    assert entry.changes == {
        "kind": [str(MentoringKind.TRADITIONAL.label), str(MentoringKind.SITUATIONAL.label)]
    }


def test_the_list_shows_and_filters_the_kind(curator_client, programme):
    pair, group = active_pair(programme), active_pair(programme, mentees=2)
    services.mentorship_set_kind(pair, kind=MentoringKind.FLASH, by=None)
    listing = reverse("mentorships:list", kwargs={"org_slug": "school-a"})
    page = curator_client.get(listing).content.decode()
    assert gettext("Speed (flash) mentoring") in page and gettext("Group") in page
    only = curator_client.get(listing, {"programme": programme.pk, "kind": "flash"})
    assert [m.pk for m in only.context["mentorships"]] == [pair.pk]
    assert group.pk not in [m.pk for m in only.context["mentorships"]]


INVALID = "Select a valid choice. %(value)s is not one of the available choices."


@pytest.mark.parametrize(
    ("posted", "message"),
    [(MentoringKind.GROUP, INVALID), ("online", INVALID), ("", "This field is required.")],
)
def test_a_pair_is_refused_a_kind_it_cannot_have_and_keeps_its_own(
    curator_client, programme, posted, message
):
    pair = active_pair(programme)
    response = curator_client.post(url("kind", pair), {"kind": posted})
    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == [gettext(message) % {"value": posted}]
    assert _kind(pair) == MentoringKind.TRADITIONAL


def test_the_service_refuses_group_mentoring_for_a_pair_and_an_unknown_kind(programme):
    pair = active_pair(programme)
    unknown = "Choose a kind of mentoring from the list."
    for kind, text in ((MentoringKind.GROUP, GROUP_ONLY), ("online", unknown)):
        with pytest.raises(ValidationError) as caught:
            services.mentorship_set_kind(pair, kind=kind, by=None)
        assert gettext(text) in caught.value.messages
        assert _kind(pair) == MentoringKind.TRADITIONAL
    group = active_pair(programme, mentees=2)
    services.mentorship_set_kind(group, kind=MentoringKind.VIRTUAL, by=None)
    services.mentorship_set_kind(group, kind=MentoringKind.GROUP, by=None)
    assert _kind(group) == MentoringKind.GROUP


def test_a_finished_programme_keeps_its_kinds(programme):
    pair = active_pair(programme)
    type(programme).objects.filter(pk=programme.pk).update(status=ProgrammeStatus.FINISHED)
    with pytest.raises(ValidationError):
        services.mentorship_set_kind(pair, kind=MentoringKind.VIRTUAL, by=None)
    assert _kind(pair) == MentoringKind.TRADITIONAL


def test_the_mentor_may_not_change_the_kind_and_an_outsider_finds_no_pair(
    client, tenant_a, tenant_b, programme
):
    pair = active_pair(programme)
    client.force_login(tenant_a.user(Role.MENTOR))
    assert client.get(url("kind", pair)).status_code == 403
    assert client.post(url("kind", pair), {"kind": "virtual"}).status_code == 403
    client.force_login(tenant_b.user(Role.CURATOR))
    assert client.get(url("kind", pair, "school-b")).status_code == 404
    assert client.post(url("kind", pair, "school-b"), {"kind": "virtual"}).status_code == 404
    assert _kind(pair) == MentoringKind.TRADITIONAL


def test_the_data_migration_makes_existing_groups_group_mentoring(programme):
    from django.apps import apps

    migration = importlib.import_module("nastavnik.mentorships.migrations.0003_mentorship_kind")
    pair, group = active_pair(programme), active_pair(programme, mentees=2)
    # As the rows stood before kinds: every one had the column's default.
    Mentorship.objects.filter(pk=group.pk).update(kind=MentoringKind.TRADITIONAL)

    migration.kinds_from_forms(apps, None)

    assert _kind(group) == MentoringKind.GROUP
    assert _kind(pair) == MentoringKind.TRADITIONAL
