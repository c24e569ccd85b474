"""Sending a questionnaire to an audience, reminding, printing slips, closing: through the
services, with bad input refused and nothing changed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext

from nastavnik.audit.models import AuditEntry, AuditObject
from nastavnik.consents.models import Purpose
from nastavnik.programmes import services as team_services
from nastavnik.questionnaires import campaigns
from nastavnik.questionnaires.campaigns import MESSAGES
from nastavnik.questionnaires.codes import ALPHABET, normalise_code
from nastavnik.questionnaires.models import Campaign, Invitation, Questionnaire, hash_secret
from nastavnik.questionnaires.responses import invitation_by_code, invitation_by_token
from nastavnik.questionnaires.tests import data
from nastavnik.questionnaires.tests.factories import QuestionFactory
from tests.test_isolation import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(tenant_a):
    org = tenant_a.organisation
    return {
        "org": org,
        "programme": data.programme_of(org),
        "questionnaire": data.questionnaire(org),
        "anna": data.student(org, last_name="Андреева", first_name="Анна", email="anna@example.ru"),
        "boris": data.student(org, last_name="Борисов", first_name="Борис"),
        "no_consent": data.student(org, last_name="Васильев", first_name="Вадим", consented=False),
        "other_class": data.student(org, class_letter="А"),
    }


def test_sending_invites_the_class_with_consent_and_lists_who_was_left_out(
    school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = campaigns.campaign_send(
            school["programme"],
            school["questionnaire"],
            audience="class",
            params={"grade": 7, "class_letter": "б"},
            deadline=data.today(school["org"]) + timedelta(days=7),
            send_mail=True,
            by=None,
            base_url="http://testserver/",
        )

    campaign = sent.campaign
    invited = {i.person for i in campaign.invitations.all()}
    assert invited == {school["anna"], school["boris"]}
    assert campaign.left_out == [school["no_consent"].pk]
    assert (sent.invited, sent.mailed, sent.left_out) == (2, 1, 1)
    assert campaign.audience_params == {"grade": 7, "class_letter": "Б"}
    assert campaign.title == school["questionnaire"].title
    # One letter, with a personal link that works; only its hash is stored.
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["anna@example.ru"]
    url = next(line for line in letter.body.splitlines() if "http://testserver/q/" in line)
    token = url.strip().rsplit("/", 2)[-2]
    assert invitation_by_token(token).person == school["anna"]
    assert not Invitation.objects.filter(token_hash=token).exists()
    # Every invitation is in the audit log with its person.
    entries = AuditEntry.objects.filter(object_type=AuditObject.INVITATION)
    assert {e.person for e in entries} == invited


def test_an_anonymous_campaign_asks_everyone_in_the_audience(school):
    campaign = data.send(school["programme"], school["questionnaire"], anonymous=True)

    assert campaign.invitations.count() == 3
    assert campaign.left_out == []


def test_the_staff_and_the_team_are_audiences_too(school):
    org, programme = school["org"], school["programme"]
    teacher = data.staff(org)
    shy = data.staff(org, consented=False)
    member = data.staff(org)
    team_services.team_member_add(programme, member, by=None)
    data.consent(programme.curator)

    staff = data.send(programme, school["questionnaire"], audience="staff", params={})
    team = data.send(programme, school["questionnaire"], audience="team", params={})

    assert {i.person for i in staff.invitations.all()} == {teacher, member, programme.curator}
    assert shy.pk in staff.left_out
    assert {i.person for i in team.invitations.all()} == {member, programme.curator}


def test_nobody_in_the_audience_is_refused_and_nothing_changes(school):
    before = database_snapshot()

    with pytest.raises(ValidationError) as refused:
        data.send(
            school["programme"], school["questionnaire"], params={"grade": 11, "class_letter": "В"}
        )

    assert refused.value.message_dict["audience"] == [gettext(MESSAGES["nobody"])]
    assert database_snapshot() == before


def test_an_audience_without_consents_says_so(school):
    org = school["org"]
    data.student(org, grade=9, class_letter="А", consented=False)
    data.student(org, grade=9, class_letter="А", consented=False)
    before = database_snapshot()

    with pytest.raises(ValidationError) as refused:
        data.send(
            school["programme"], school["questionnaire"], params={"grade": 9, "class_letter": "А"}
        )

    assert refused.value.message_dict["audience"] == [
        str(MESSAGES["nobody_consented"] % {"count": 2})
    ]
    assert database_snapshot() == before


def test_a_deadline_in_the_past_is_refused_and_nothing_changes(school):
    before = database_snapshot()

    with pytest.raises(ValidationError) as refused:
        data.send(
            school["programme"],
            school["questionnaire"],
            deadline=data.today(school["org"]) - timedelta(days=1),
        )

    assert refused.value.message_dict["deadline"] == [gettext(MESSAGES["deadline_past"])]
    assert database_snapshot() == before


def test_an_assessment_needs_its_phase_and_an_anonymous_campaign_cannot_feed(school):
    assessment = Questionnaire.objects.get(organisation=None, code="assessment")
    application = Questionnaire.objects.get(organisation=None, code="mentee-application")
    before = database_snapshot()

    with pytest.raises(ValidationError) as no_phase:
        data.send(school["programme"], assessment)
    with pytest.raises(ValidationError) as anonymous:
        data.send(school["programme"], application, anonymous=True)

    assert no_phase.value.message_dict["phase"] == [gettext(MESSAGES["phase"])]
    assert anonymous.value.message_dict["anonymous"] == [gettext(MESSAGES["anonymous_feeds"])]
    assert database_snapshot() == before
    assert data.send(school["programme"], assessment, phase="entry").phase == "entry"


def test_an_old_version_or_an_empty_questionnaire_is_not_sent(school):
    org = school["org"]
    empty = Questionnaire.objects.create(organisation=org, title="Пустая")
    newer = Questionnaire.objects.create(
        organisation=org, title="Новая", version=2, previous=school["questionnaire"]
    )
    QuestionFactory(section__questionnaire=newer)

    with pytest.raises(ValidationError) as old:
        data.send(school["programme"], school["questionnaire"])
    with pytest.raises(ValidationError) as nothing:
        data.send(school["programme"], empty)

    assert old.value.message_dict["questionnaire"] == [gettext(MESSAGES["not_latest"])]
    assert nothing.value.message_dict["questionnaire"] == [gettext(MESSAGES["empty"])]
    assert not Campaign.objects.exists()


def test_reminders_carry_a_new_link_to_those_who_have_not_answered(
    school, django_capture_on_commit_callbacks
):
    campaign = data.send(school["programme"], school["questionnaire"])
    anna = campaign.invitations.get(person=school["anna"])
    old_token = data.link_token(anna)

    with django_capture_on_commit_callbacks(execute=True):
        count = campaigns.campaign_remind(campaign, by=None, base_url="http://testserver/")

    assert count == 1  # Борис has no e-mail
    assert mail.outbox[0].to == ["anna@example.ru"]
    assert invitation_by_token(old_token) is None
    anna.refresh_from_db()
    assert anna.reminded_at is not None

    anna.answered = True
    anna.save()
    with pytest.raises(ValidationError) as nobody:
        campaigns.campaign_remind(campaign, by=None)
    assert nobody.value.messages == [gettext(MESSAGES["nobody_to_remind"])]


def test_the_command_reminds_the_day_before_the_deadline_once(
    school, django_capture_on_commit_callbacks
):
    tomorrow = data.today(school["org"]) + timedelta(days=1)
    data.send(school["programme"], school["questionnaire"], deadline=tomorrow)
    data.send(school["programme"], school["questionnaire"], deadline=tomorrow + timedelta(days=5))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_campaigns", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("remind_campaigns", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert len(mail.outbox) == 1


def test_printing_slips_gives_new_codes_to_those_who_have_not_answered(school):
    campaign = data.send(school["programme"], school["questionnaire"])
    boris = campaign.invitations.get(person=school["boris"])
    boris.answered = True
    boris.save()
    printed = []

    def render(locked, slips):
        printed.extend(slips)
        return b"document"

    assert campaigns.slips_print(campaign, render, by=None, base_url="http://testserver/") == (
        b"document"
    )
    (slip,) = printed
    assert slip.name == school["anna"].full_name
    assert slip.class_name == "7Б"
    assert slip.url == "http://testserver/q/"
    assert len(slip.code) == 9 and slip.code[4] == "-"
    assert set(slip.code.replace("-", "")) <= set(ALPHABET)
    assert slip.qr_url == f"http://testserver/q/?code={slip.code.replace('-', '')}"
    assert invitation_by_code(slip.code.lower()).person == school["anna"]

    # Printing again replaces the codes: the first slip stops working.
    campaigns.slips_print(campaign, render, by=None)
    assert invitation_by_code(slip.code) is None
    assert invitation_by_code(printed[-1].code).person == school["anna"]
    stored = Invitation.objects.get(person=school["anna"]).code_hash
    assert stored == hash_secret(normalise_code(printed[-1].code))


def test_slips_that_fail_to_render_leave_the_old_codes(school):
    campaign = data.send(school["programme"], school["questionnaire"])
    before = database_snapshot()

    def broken(locked, slips):
        raise RuntimeError("no converter")

    with pytest.raises(RuntimeError):
        campaigns.slips_print(campaign, broken, by=None)

    assert database_snapshot() == before


def test_a_closed_campaign_takes_no_reminders_nor_slips(school):
    campaign = data.send(school["programme"], school["questionnaire"])
    campaigns.campaign_close(campaign, by=None)

    with pytest.raises(ValidationError) as remind:
        campaigns.campaign_remind(campaign, by=None)
    with pytest.raises(ValidationError) as slips:
        campaigns.slips_print(campaign, lambda c, s: b"", by=None)
    with pytest.raises(ValidationError) as again:
        campaigns.campaign_close(campaign, by=None)

    assert (
        remind.value.messages
        == slips.value.messages
        == again.value.messages
        == [gettext(MESSAGES["closed"])]
    )


def test_a_withdrawn_consent_stops_reminders(school):
    campaign = data.send(school["programme"], school["questionnaire"])
    school["anna"].consents.filter(purpose=Purpose.PARTICIPATION).update(
        withdrawn_at=timezone.now()
    )

    assert school["anna"] not in {i.person for i in campaigns.waiting(campaign)}
