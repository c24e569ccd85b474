"""How people are told: their choice per kind, mail only after the change commits, the daily
digest, Russian words that agree with numbers and gender, and the unsubscribe link."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from nastavnik.core.tests.shared_rows import world_and_two_tenants
from nastavnik.meetings import services as meetings
from nastavnik.meetings.tests.factories import meeting
from nastavnik.mentorships import services as pairs
from nastavnik.mentorships.models import AbsenceReason, AbsentSide
from nastavnik.notifications.delivery import unsubscribe_token
from nastavnik.notifications.models import Channel, Notification, NotificationPreference
from nastavnik.notifications.tests.world import built_school
from nastavnik.orgs.models import Role
from nastavnik.orgs.tests.factories import MembershipFactory
from nastavnik.people.validators import org_today

# The world is built once for the module; each test runs in a savepoint of it.
built, shared, world, tenant_a, tenant_b = world_and_two_tenants(built_school)


def _cancel(world, by="mentor"):
    made = meeting(world.mentorship, days=3)
    meetings.meeting_cancel(made, by=world.user(by), reason="Болезнь")


def _to(user) -> list:
    return [m for m in mail.outbox if user.email in m.to]


def _prefer(world, name, kind, channel):
    NotificationPreference.objects.create(
        organisation=world.organisation, user=world.user(name), kind=kind, channel=channel
    )


def test_by_default_each_one_gets_a_russian_letter_with_an_unsubscribe_link(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _cancel(world)

    (letter,) = _to(world.user("guardian"))
    assert letter.subject.startswith("Встреча ") and "отменена" in letter.subject
    assert "Вы получили это как законный представитель" in letter.body
    assert "/notifications/unsubscribe/" in letter.body
    assert len(_to(world.user("mentee"))) == 1


def test_the_verb_agrees_with_the_gender_of_who_did_it(world, django_capture_on_commit_callbacks):
    person = world.mentorship.mentor.person
    for gender, verb in (("f", "отменила"), ("m", "отменил ")):
        person.gender = gender
        person.save(update_fields=["gender"])
        with django_capture_on_commit_callbacks(execute=True):
            _cancel(world)
        latest = Notification.objects.filter(recipient=world.user("mentee")).first()
        assert f"{person.short_name} {verb}" in latest.body


def test_numbers_take_the_right_plural(world, django_capture_on_commit_callbacks):
    today = org_today(world.organisation)
    for start, end, words in (
        (21, 21, "на 1 день"),
        (20, 19, "на 2 дня"),
        (18, 14, "на 5 дней"),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            pairs.mentorship_extend(
                world.mentorship,
                reason=AbsenceReason.ILLNESS,
                absent_side=AbsentSide.MENTEE,
                absent_from=today - timedelta(days=max(start, end)),
                absent_to=today - timedelta(days=min(start, end)),
                by=None,
            )
        latest = Notification.objects.filter(recipient=world.user("mentor")).first()
        assert words in latest.body


def test_in_app_only_sends_no_letter(world, django_capture_on_commit_callbacks):
    _prefer(world, "mentee", "meeting.cancelled", Channel.IN_APP)
    with django_capture_on_commit_callbacks(execute=True):
        _cancel(world)

    assert Notification.objects.filter(recipient=world.user("mentee")).count() == 1
    assert _to(world.user("mentee")) == []
    assert len(_to(world.user("mentor"))) == 1  # the others' choice is theirs


def test_the_digest_gathers_the_day_into_one_letter_and_only_once(
    world, django_capture_on_commit_callbacks
):
    _prefer(world, "mentee", "meeting.cancelled", Channel.DIGEST)
    _prefer(world, "mentee", "meeting.scheduled", Channel.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        _cancel(world)
        _cancel(world)
        meetings.meeting_create(
            world.mentorship,
            meetings.MeetingData(
                kind="regular",
                starts_at=timezone.now() + timedelta(days=2),
                duration_minutes=45,
                format="in_person",
                place="Кабинет 214",
            ),
            by=None,
        )
    assert _to(world.user("mentee")) == []

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_notification_digest", stdout=StringIO())

    (digest,) = _to(world.user("mentee"))
    assert digest.subject.startswith("3 новых уведомления")
    assert digest.body.count("отменена") == 2
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_notification_digest", stdout=StringIO())
    assert len(_to(world.user("mentee"))) == 1


def test_a_rolled_back_change_tells_nobody(world, django_capture_on_commit_callbacks):
    made = meeting(world.mentorship, days=3)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        meetings.meeting_cancel(made, by=None, reason="")
        raise RuntimeError
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_muted_change_tells_nobody(world, django_capture_on_commit_callbacks):
    from nastavnik.core import events

    with django_capture_on_commit_callbacks(execute=True), events.muted():
        _cancel(world)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_nothing_is_mailed_before_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _cancel(world)
        assert mail.outbox == []
        assert not Notification.objects.exists()
    assert callbacks


def test_a_mentor_who_is_also_a_curator_is_not_told_of_a_concern_about_them(
    world, django_capture_on_commit_callbacks
):
    from nastavnik.notifications.tests.test_registry import concern_raised

    MembershipFactory(organisation=world.organisation, role=Role.CURATOR, user=world.user("mentor"))
    with django_capture_on_commit_callbacks(execute=True):
        concern_raised(world)

    assert world.told("concern.raised") == {"curator"}
    # Nor does anyone else it is about see it in their list.
    assert not Notification.objects.filter(recipient=world.user("mentor")).exists()


def test_a_person_without_a_valid_consent_is_not_contacted(
    world, django_capture_on_commit_callbacks
):
    from nastavnik.consents.models import Consent, Purpose

    Consent.objects.filter(subject=world.child).update(withdrawn_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        _cancel(world)
    # Neither the child nor, for the child, the guardian.
    assert world.told("meeting.cancelled") == {"mentor"}
    assert Purpose.PROCESSING  # the rule is consents.rules' valid processing consent


# --- Unsubscribe ---------------------------------------------------------------------------


def test_the_unsubscribe_link_asks_then_stops_that_kind_without_a_login(client, world):
    token = unsubscribe_token(world.organisation.pk, world.user("mentee").pk, "meeting.cancelled")
    url = reverse("notifications_public:unsubscribe", kwargs={"token": token})

    page = client.get(url)
    assert "Прекратить письма" in page.content.decode()
    assert not NotificationPreference.objects.exists()  # a mail scanner's GET changes nothing

    client.post(url)
    choice = NotificationPreference.objects.get()
    assert (choice.user, choice.kind, choice.channel) == (
        world.user("mentee"),
        "meeting.cancelled",
        Channel.IN_APP,
    )


@pytest.mark.parametrize("tamper", ["swap_user", "garbage", "unknown_kind", "other_org"])
def test_a_tampered_unsubscribe_link_changes_nothing(client, world, tenant_b, tamper):
    org, user, kind = world.organisation.pk, world.user("mentee").pk, "meeting.cancelled"
    token = unsubscribe_token(org, user, kind)
    if tamper == "swap_user":
        # Another account's payload under this signature.
        signature = token.partition(":")[2]
        other = unsubscribe_token(org, world.user("mentor").pk, kind)
        token = other.partition(":")[0] + ":" + signature
    elif tamper == "garbage":
        token = token[:-3] + "abc"
    elif tamper == "unknown_kind":
        token = unsubscribe_token(org, user, "no.such.kind")
    else:
        # A valid signature for an account that is no member of that organisation.
        token = unsubscribe_token(tenant_b.organisation.pk, user, kind)
    url = reverse("notifications_public:unsubscribe", kwargs={"token": token})

    assert client.get(url).status_code == 404
    response = client.post(url)
    assert response.status_code == 404
    assert "Ссылка не работает" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_the_list_reads_in_the_readers_language_while_the_letter_stays_russian(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _cancel(world)
    mentee = world.user("mentee")
    (letter,) = _to(mentee)
    assert "отменена" in letter.subject
    client.force_login(mentee)
    url = reverse("notifications:list", kwargs={"org_slug": world.organisation.slug})

    russian = client.get(url).content.decode()
    assert letter.subject in russian

    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert letter.subject not in english
    assert "is cancelled" in english
    stored = Notification.objects.get(recipient=mentee)
    assert stored.title == letter.subject and "cancelled" in stored.title_en
