"""A respondent without an account answers by a personal link or by a code from a slip. Bad
input gets a clear message and saves nothing; closed, expired, reused and forged links and codes
get a clear page; wrong codes are throttled; answers that feed the bases land there."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from nastavnik.audit.models import AuditChannel, AuditEntry, AuditObject
from nastavnik.consents.models import Purpose
from nastavnik.questionnaires.campaigns import campaign_close
from nastavnik.questionnaires.feeds import FEEDS, Feed, FeedSkipped
from nastavnik.questionnaires.models import Answer, Campaign, Channel, Invitation, Response
from nastavnik.questionnaires.responses import MESSAGES
from nastavnik.questionnaires.tests import data
from tests.test_isolation import database_snapshot

pytestmark = pytest.mark.django_db

CODE_URL = reverse("respond:code")
ANSWER_URL = reverse("respond:answer")


def link(token):
    return reverse("respond:link", kwargs={"token": token})


@pytest.fixture
def survey(tenant_a):
    org = tenant_a.organisation
    programme = data.programme_of(org)
    questionnaire = data.questionnaire(org)
    mentor_a = data.staff(org, last_name="Орлова", first_name="Елена")
    mentor_b = data.staff(org, last_name="Смирнов", first_name="Олег")
    outsider = data.staff(org, last_name="Чужой", first_name="Пётр", consented=False)
    data.ranking_question(questionnaire, pool="staff")
    student = data.student(org, last_name="Андреева", first_name="Анна")
    campaign = data.send(programme, questionnaire)
    invitation = campaign.invitations.get(person=student)
    return {
        "org": org,
        "campaign": campaign,
        "invitation": invitation,
        "student": student,
        "mentors": (mentor_a, mentor_b),
        "outsider": outsider,
    }


def answers(**overrides):
    raw = dict(data.GOOD_ANSWERS)
    raw.update(
        {code: value if isinstance(value, list) else [value] for code, value in overrides.items()}
    )
    return data.post_of(raw)


def errors_of(page):
    return page.context["errors"]


# --- By link ----------------------------------------------------------------------------------


def test_a_respondent_answers_by_link_and_the_answers_are_saved_as_their_types(client, survey):
    token = data.link_token(survey["invitation"])
    mentor_a, mentor_b = survey["mentors"]

    page = client.get(link(token))
    assert page.status_code == 200
    content = page.content.decode()
    assert "С чем нужна помощь?" in content
    assert "Орлова Елена" in content and "Чужой" not in content
    assert page["X-Robots-Tag"] == "noindex, nofollow"

    sent = client.post(link(token), answers(prefer=[str(mentor_b.pk), str(mentor_a.pk)]))

    assert sent.status_code == 302 and sent["Location"] == reverse("respond:thanks")
    response = Response.objects.get()
    assert (response.person, response.invitation, response.channel) == (
        survey["student"],
        survey["invitation"],
        Channel.LINK,
    )
    assert response.submitted_at is not None and response.entered_by is None
    stored = {a.question.code: a.value for a in response.answers.select_related("question")}
    assert stored == {
        "topic": "subject",
        "slots": ["пн-вечер"],
        "about": "Хочу лучше понимать геометрию",
        "mood": 8,
        "mark": "4.5",
        "born": "2012-05-05",
        "prefer": [mentor_b.pk, mentor_a.pk],
    }
    assert Answer.objects.get(question__code="mark").number == Decimal("4.5")
    survey["invitation"].refresh_from_db()
    assert survey["invitation"].answered
    entry = AuditEntry.objects.get(object_type=AuditObject.RESPONSE)
    assert (entry.person, entry.channel) == (survey["student"], AuditChannel.LINK)
    thanks = client.get(reverse("respond:thanks")).content.decode()
    assert gettext("Thank you: your answers are saved") in thanks
    assert survey["campaign"].title in thanks


def test_a_reused_link_shows_a_clear_page_and_changes_nothing(client, survey):
    token = data.link_token(survey["invitation"])
    client.post(link(token), answers())
    before = database_snapshot()

    again = client.post(link(token), answers(mood="3"))

    assert again.status_code == 410
    assert again.context["state"] == "answered"
    assert database_snapshot() == before


def test_a_forged_link_shows_a_clear_page_and_saves_nothing(client, survey):
    before = database_snapshot()

    page = client.post(link("forged-token-" + "x" * 30), answers())

    assert page.status_code == 404
    assert page.context["state"] == "not_found"
    assert database_snapshot() == before


@pytest.mark.parametrize("state", ["closed", "expired"])
def test_a_closed_or_expired_campaign_takes_no_answers(client, survey, state):
    campaign = survey["campaign"]
    token = data.link_token(survey["invitation"])
    if state == "closed":
        campaign_close(campaign, by=None)
    else:
        Campaign.objects.filter(pk=campaign.pk).update(
            deadline=data.today(survey["org"]) - timedelta(days=1)
        )
    before = database_snapshot()

    page = client.post(link(token), answers())

    assert page.status_code == 410
    assert page.context["state"] == state
    assert database_snapshot() == before


def test_answers_of_a_person_whose_consent_was_withdrawn_are_not_taken(client, survey):
    token = data.link_token(survey["invitation"])
    survey["student"].consents.filter(purpose=Purpose.PARTICIPATION).update(
        withdrawn_at=timezone.now()
    )
    before = database_snapshot()

    page = client.post(link(token), answers())

    assert page.status_code == 403
    assert page.context["state"] == "no_consent"
    assert gettext("The answers cannot be taken now") in page.content.decode()
    assert database_snapshot() == before


# --- Bad answers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        ({"mood": "11"}, "mood", gettext(MESSAGES["scale"]) % {"min": 1, "max": 10}),
        ({"mood": ""}, "mood", gettext(MESSAGES["required"])),
        ({"topic": []}, "topic", gettext(MESSAGES["required"])),
        ({"topic": "astrology"}, "topic", gettext(MESSAGES["choice"])),
        ({"slots": ["пн-вечер", "вс-ночь"]}, "slots", gettext(MESSAGES["choices"])),
        ({"mark": "5,5"}, "mark", gettext(MESSAGES["max"]) % {"max": "5"}),
        ({"mark": "1"}, "mark", gettext(MESSAGES["min"]) % {"min": "2"}),
        ({"mark": "отлично"}, "mark", gettext(MESSAGES["number"])),
        ({"born": "вчера"}, "born", gettext(MESSAGES["date"])),
        ({"topic": "other", "topic_other": ""}, "topic_other", gettext(MESSAGES["required"])),
    ],
)
def test_a_bad_answer_gets_a_clear_message_and_nothing_is_saved(
    client, survey, overrides, code, message
):
    token = data.link_token(survey["invitation"])
    before = database_snapshot()

    page = client.post(link(token), answers(**overrides))

    assert page.status_code == 200
    assert errors_of(page) == {code: [message]}
    assert message in page.content.decode()
    assert database_snapshot() == before


def test_a_ranking_naming_people_outside_the_group_or_twice_is_refused(client, survey):
    token = data.link_token(survey["invitation"])
    mentor_a, _mentor_b = survey["mentors"]
    outsider = survey["outsider"]
    before = database_snapshot()

    outside = client.post(link(token), answers(prefer=[str(outsider.pk)]))
    twice = client.post(link(token), answers(prefer=[str(mentor_a.pk), str(mentor_a.pk)]))
    forged = client.post(link(token), answers(prefer=["999999"]))

    assert errors_of(outside) == {"prefer": [gettext(MESSAGES["rank_outside"])]}
    assert errors_of(twice) == {"prefer": [gettext(MESSAGES["rank_twice"])]}
    assert errors_of(forged) == {"prefer": [gettext(MESSAGES["rank_outside"])]}
    assert database_snapshot() == before


def test_a_ranking_of_more_people_than_asked_is_refused(client, survey):
    token = data.link_token(survey["invitation"])
    third = data.staff(survey["org"], last_name="Третьякова")
    picked = [str(p.pk) for p in (*survey["mentors"], third)]
    before = database_snapshot()

    page = client.post(link(token), answers(prefer=picked))

    assert errors_of(page) == {"prefer": [str(MESSAGES["rank_many"] % {"count": 2})]}
    assert database_snapshot() == before


def test_what_was_typed_stays_on_the_page_with_the_errors(client, survey):
    token = data.link_token(survey["invitation"])

    page = client.post(link(token), answers(mood="11", about="Мой ответ"))

    content = page.content.decode()
    assert "Мой ответ" in content
    assert 'value="subject" checked' in content


def test_a_hidden_conditional_answer_is_dropped_and_a_shown_one_kept(client, survey):
    token = data.link_token(survey["invitation"])

    client.post(link(token), answers(topic="subject", topic_other="сказки"))

    assert not Answer.objects.filter(question__code="topic_other").exists()

    second = survey["campaign"].invitations.create(
        organisation=survey["org"],
        person=data.student(survey["org"]),
        token_hash="0" * 64,
    )
    client.post(link(data.link_token(second)), answers(topic="other", topic_other="Шахматы"))
    assert Answer.objects.get(question__code="topic_other").value == "Шахматы"


# --- By code ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typing", ["{a}-{b}", "{a} {b}", "{al}{bl}", "  {a}–{b}  "])
def test_a_code_is_typed_forgivingly(client, survey, typing):
    issued = data.code(survey["invitation"])
    a, b = issued[:4], issued[4:]
    typed = typing.format(a=a, b=b, al=a.lower(), bl=b.lower())

    page = client.post(CODE_URL, {"code": typed})

    assert page.status_code == 302 and page["Location"] == ANSWER_URL


def test_cyrillic_look_alikes_read_as_latin(client, survey):
    invitation = survey["invitation"]
    invitation.code_hash = data.hash_secret("AKM3PX2Q")
    invitation.save()

    page = client.post(CODE_URL, {"code": "акм3-рх2q"})

    assert page["Location"] == ANSWER_URL


def test_a_respondent_answers_by_code_and_the_code_then_stops_working(client, survey):
    issued = data.code(survey["invitation"])

    client.get(f"{CODE_URL}?code={issued}")  # the slip's QR code
    page = client.get(ANSWER_URL)
    assert page.status_code == 200 and "Андреева Анна" in page.content.decode()
    sent = client.post(ANSWER_URL, answers())

    assert sent["Location"] == reverse("respond:thanks")
    assert Response.objects.get().channel == Channel.CODE
    before = database_snapshot()
    again = client.post(CODE_URL, {"code": issued})
    assert again.status_code == 410 and again.context["state"] == "answered"
    assert client.get(ANSWER_URL)["Location"] == CODE_URL
    assert database_snapshot() == before


def test_an_unknown_code_gets_a_clear_message(client, survey):
    page = client.post(CODE_URL, {"code": "ZZZZ-ZZZZ"})

    assert page.status_code == 200
    assert page.context["form"].errors["code"] == [
        gettext("This code does not work. Check it against the slip and type it again.")
    ]


def test_answering_page_without_a_code_goes_back_to_the_code_page(client, survey):
    assert client.get(ANSWER_URL)["Location"] == CODE_URL


WRONG_CODES = [f"ZZZZ-ZZ{a}{b}" for a in "ZYXWV" for b in "ZYXWV"]


def test_wrong_codes_are_throttled_per_browser(client, survey, settings):
    settings.QUESTIONNAIRE_CODE_TRIES_PER_SESSION = 5
    issued = data.code(survey["invitation"])
    for wrong in WRONG_CODES[:4]:
        assert client.post(CODE_URL, {"code": wrong}).status_code == 200

    locked = client.post(CODE_URL, {"code": WRONG_CODES[4]})
    assert locked.status_code == 429
    # Even the right code waits now: guessing cannot go on.
    assert client.post(CODE_URL, {"code": issued}).status_code == 429
    assert not Response.objects.exists()


def test_the_same_wrong_code_typed_again_is_not_a_new_guess(client, survey, settings):
    settings.QUESTIONNAIRE_CODE_TRIES_PER_SESSION = 5
    for _ in range(8):
        page = client.post(CODE_URL, {"code": "ZZZZ-ZZZZ"})
        assert page.status_code == 200
        assert page.context["form"].errors["code"]

    issued = data.code(survey["invitation"])
    assert client.post(CODE_URL, {"code": issued})["Location"] == ANSWER_URL


def test_wrong_codes_are_throttled_per_address_across_browsers(client, survey, settings):
    settings.QUESTIONNAIRE_CODE_TRIES_PER_ADDRESS = 3
    for wrong in WRONG_CODES[:3]:
        client.cookies.clear()  # a new browser session each time
        client.post(CODE_URL, {"code": wrong}, REMOTE_ADDR="198.51.100.7")

    client.cookies.clear()
    assert (
        client.post(CODE_URL, {"code": WRONG_CODES[3]}, REMOTE_ADDR="198.51.100.7").status_code
        == 429
    )
    client.cookies.clear()
    assert (
        client.post(CODE_URL, {"code": WRONG_CODES[4]}, REMOTE_ADDR="198.51.100.8").status_code
        == 200
    )


def test_one_pupil_locked_out_does_not_lock_the_school_behind_the_same_address(
    client, survey, settings
):
    """A school's pupils share one address: the pupil who guessed waits, the others answer."""
    settings.QUESTIONNAIRE_CODE_TRIES_PER_SESSION = 5
    school = "198.51.100.20"
    guesser = Client()
    for wrong in WRONG_CODES[:5]:
        guesser.post(CODE_URL, {"code": wrong}, REMOTE_ADDR=school)
    assert guesser.post(CODE_URL, {"code": WRONG_CODES[5]}, REMOTE_ADDR=school).status_code == 429

    issued = data.code(survey["invitation"])
    classmate = client.post(CODE_URL, {"code": issued}, REMOTE_ADDR=school)
    assert classmate.status_code == 302 and classmate["Location"] == ANSWER_URL


# --- Anonymous campaigns ----------------------------------------------------------------------


def test_an_anonymous_response_keeps_no_trace_of_the_respondent(client, survey):
    campaign = data.send(
        survey["campaign"].programme, survey["campaign"].questionnaire, anonymous=True
    )
    invitation = campaign.invitations.get(person=survey["student"])
    token = data.link_token(invitation)

    page = client.get(link(token))
    assert "Андреева" not in page.content.decode()
    client.post(link(token), answers())

    response = campaign.responses.get()
    assert response.person is None and response.invitation is None
    assert response.submitted_at is None and response.entered_by is None
    assert response.submitted_on == data.today(survey["org"])
    # Not even how it came: only those with an e-mail got links.
    assert response.channel == Channel.ONLINE
    invitation.refresh_from_db()
    assert invitation.answered
    # No moment on the invitation either: only the flag.
    assert invitation.sent_at is None and invitation.reminded_at is None
    assert not AuditEntry.objects.filter(object_type=AuditObject.RESPONSE).exists()


# --- Feeds ------------------------------------------------------------------------------------

CALLS = []


def record(feed, value):
    CALLS.append((feed, value))


def refuse(feed, value):
    raise FeedSkipped("Наставляемому меньше 10 лет.")


@pytest.fixture
def feeds(monkeypatch):
    CALLS.clear()
    here = "nastavnik.questionnaires.tests.test_respond"
    monkeypatch.setitem(FEEDS, "mentee.topics", Feed("topics", f"{here}.record"))
    monkeypatch.setitem(FEEDS, "assessment", Feed("measure", f"{here}.record"))
    monkeypatch.setitem(FEEDS, "mentee.request_text", Feed("text", f"{here}.refuse"))
    monkeypatch.setitem(FEEDS, "mentee.preferences", Feed("prefs", f"{here}.record"))
    return CALLS


def test_answers_that_feed_the_bases_are_applied_on_submission(client, survey, feeds):
    questions = survey["campaign"].questionnaire.questions
    questions.filter(code="topic").update(feed="mentee.topics")
    questions.filter(code="mood").update(feed="assessment.motivation")
    questions.filter(code="about").update(feed="mentee.request_text")
    questions.filter(code="prefer").update(feed="mentee.preferences")
    Campaign.objects.filter(pk=survey["campaign"].pk).update(phase="entry")
    mentor_a, _mentor_b = survey["mentors"]
    token = data.link_token(survey["invitation"])

    client.post(link(token), answers(prefer=[str(mentor_a.pk)]))

    assert [(c.argument, v) for c, v in feeds] == [
        ("", "subject"),
        ("motivation", 8),
        ("", [mentor_a.pk]),
    ]
    context = feeds[0][0]
    assert context.person == survey["student"]
    assert context.programme == survey["campaign"].programme
    assert context.phase == "entry" and context.by is None
    assert context.answered_on == data.today(survey["org"])
    # A base that cannot take an answer says why; the response is kept.
    response = Response.objects.get()
    assert response.feed_notes == [
        {
            "question": "about",
            "feed": "mentee.request_text",
            "reason": "Наставляемому меньше 10 лет.",
        }
    ]


def test_a_missing_feed_handler_is_noted_not_fatal(client, survey, monkeypatch):
    monkeypatch.setitem(FEEDS, "mentee.topics", Feed("topics", "nastavnik.nowhere.topics"))
    survey["campaign"].questionnaire.questions.filter(code="topic").update(feed="mentee.topics")
    token = data.link_token(survey["invitation"])

    client.post(link(token), answers())

    assert Response.objects.get().feed_notes[0]["reason"] == gettext(MESSAGES["feed_missing"])


def test_an_anonymous_campaign_feeds_nothing(client, survey, feeds):
    campaign = data.send(
        survey["campaign"].programme, survey["campaign"].questionnaire, anonymous=True
    )
    campaign.questionnaire.questions.filter(code="topic").update(feed="mentee.topics")
    token = data.link_token(campaign.invitations.get(person=survey["student"]))

    client.post(link(token), answers())

    assert campaign.responses.count() == 1
    assert feeds == []


def test_dates_typed_the_russian_way_are_read(client, survey):
    token = data.link_token(survey["invitation"])

    client.post(link(token), answers(born="05.09.2012"))

    assert Answer.objects.get(question__code="born").value == date(2012, 9, 5).isoformat()
    assert Invitation.objects.filter(answered=True).count() == 1


def test_behind_a_trusted_proxy_wrong_codes_count_against_the_client_not_the_proxy(
    client, survey, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    settings.QUESTIONNAIRE_CODE_TRIES_PER_ADDRESS = 3
    via_proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for number, wrong in enumerate(WRONG_CODES[:3]):
        client.cookies.clear()
        # The client's own header entry changes each time; the proxy's does not.
        client.post(
            CODE_URL,
            {"code": wrong},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 203.0.113.9",
            **via_proxy,
        )

    client.cookies.clear()
    locked = client.post(
        CODE_URL, {"code": WRONG_CODES[3]}, HTTP_X_FORWARDED_FOR="203.0.113.9", **via_proxy
    )
    assert locked.status_code == 429
    client.cookies.clear()
    other = client.post(
        CODE_URL, {"code": WRONG_CODES[4]}, HTTP_X_FORWARDED_FOR="203.0.113.10", **via_proxy
    )
    assert other.status_code == 200


def test_a_ranking_never_offers_the_respondent_nor_the_respondent_s_family(client, survey):
    from nastavnik.people.models import GuardianLink
    from nastavnik.questionnaires.responses import pools_of, questions_of

    mentor_a, mentor_b = survey["mentors"]
    student = survey["student"]
    # Mentor b is the student's mother: she is no mentor for her own child.
    GuardianLink.objects.create(
        organisation=survey["org"], guardian=mentor_b, child=student, relation="mother"
    )
    token = data.link_token(survey["invitation"])
    content = client.get(link(token)).content.decode()
    assert "Орлова Елена" in content and "Смирнов" not in content
    before = database_snapshot()
    named_mother = client.post(link(token), answers(prefer=[str(mentor_b.pk)]))
    assert errors_of(named_mother) == {"prefer": [gettext(MESSAGES["rank_outside"])]}
    assert database_snapshot() == before

    # Whoever answers, they are not in their own list.
    campaign = survey["campaign"]
    pools = pools_of(campaign, questions_of(campaign), mentor_a)
    assert mentor_a.pk not in {p.pk for pool in pools.values() for p in pool}
    everyone = pools_of(campaign, questions_of(campaign))
    assert mentor_a.pk in {p.pk for pool in everyone.values() for p in pool}
