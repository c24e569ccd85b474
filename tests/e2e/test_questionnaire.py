"""A respondent without an account, through a real browser: opens the code page, types the
code from a slip (in small letters, with a space), answers — a conditional question appears for
«Другое», a number out of range is refused and corrected — sends, and sees the thanks.
"""

from django.urls import reverse
from playwright.sync_api import expect

from nastavnik.questionnaires.models import Answer, Channel, Response


def test_a_student_answers_a_questionnaire_by_code(page, live_server):
    from nastavnik.orgs.tests.factories import OrganisationFactory
    from nastavnik.questionnaires.tests import data

    organisation = OrganisationFactory(slug="school-q", short_name="Школа № 9")
    student = data.student(organisation, last_name="Андреева", first_name="Анна")
    campaign = data.send(data.programme_of(organisation), data.questionnaire(organisation))
    invitation = campaign.invitations.get(person=student)
    code = data.code(invitation)

    page.goto(live_server.url + reverse("respond:code"))
    page.fill("input[name=code]", f"{code[:4].lower()} {code[4:].lower()}")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{reverse('respond:answer')}")
    expect(page.locator("main h1")).to_contain_text(campaign.title)
    expect(page.locator("main")).to_contain_text("Андреева Анна")

    # «Что именно?» shows only for «Другое».
    other = page.locator("#q-topic_other")
    expect(other).to_be_hidden()
    page.check('input[name="q-topic"][value="career"]')
    expect(other).to_be_hidden()
    page.check('input[name="q-topic"][value="other"]')
    expect(other).to_be_visible()
    page.fill('input[name="q-topic_other"]', "Хочу научиться играть в шахматы")
    page.check('input[name="q-slots"][value="ср-вечер"]')
    page.check('input[name="q-mood"][value="9"]')
    page.fill('input[name="q-mark"]', "7")
    page.click("main form button[type=submit]")

    # Refused next to the question, with what was typed kept.
    mark = page.locator("#q-mark")
    expect(mark.locator(".errorlist")).to_be_visible()
    expect(page.locator('input[name="q-topic_other"]')).to_have_value(
        "Хочу научиться играть в шахматы"
    )
    assert not Response.objects.exists()
    page.fill('input[name="q-mark"]', "4,7")
    page.click("main form button[type=submit]")

    page.wait_for_url(f"**{reverse('respond:thanks')}")
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text(campaign.title)

    response = Response.objects.get()
    assert (response.person, response.channel) == (student, Channel.CODE)
    saved = {a.question.code: a.value for a in Answer.objects.select_related("question")}
    assert saved == {
        "topic": "other",
        "topic_other": "Хочу научиться играть в шахматы",
        "slots": ["ср-вечер"],
        "mood": 9,
        "mark": "4.7",
    }
    invitation.refresh_from_db()
    assert invitation.answered
