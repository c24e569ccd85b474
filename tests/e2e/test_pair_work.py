"""A pair at work, through a real browser: the mentor opens the cabinet, records the first
meeting that has just taken place, marks it held with what was agreed, draws up the plan and
adds an item; the mentee opens the cabinet, is asked for feedback, types 0 and is refused,
then rates the meeting 9 and sees the rating.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from nastavnik.orgs.models import Role
from tests.e2e.pages import log_in, ru


def _world():
    from nastavnik.meetings.tests.factories import pair
    from nastavnik.orgs.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    organisation = OrganisationFactory(slug="school-pair", short_name="Школа № 3")
    mentor_user = UserFactory(email="mentor@pair.ru", first_name="Вера", last_name="Алексеева")
    mentee_user = UserFactory(email="mentee@pair.ru", first_name="Артём", last_name="Попов")
    MembershipFactory(user=mentor_user, organisation=organisation, role=Role.MENTOR)
    MembershipFactory(user=mentee_user, organisation=organisation, role=Role.MENTEE)
    mentorship = pair(
        organisation, mentor_user=mentor_user, mentee_users=[mentee_user], started_days_ago=10
    )
    return organisation, mentorship


def test_the_mentor_records_a_meeting_and_the_mentee_rates_it(browser, live_server):
    from nastavnik.meetings.models import Feedback, Meeting, MeetingStatus
    from nastavnik.plans.models import PlanItem

    organisation, mentorship = _world()
    slug = organisation.slug
    mentee_name = mentorship.members.get().mentee.person.full_name

    # --- The mentor ------------------------------------------------------------------------
    page = log_in(browser, live_server, "mentor@pair.ru", slug)
    page.goto(live_server.url + reverse("cabinets:mentor", kwargs={"org_slug": slug}))
    expect(page.locator("main")).to_contain_text(mentee_name)
    meetings_url = reverse(
        "meetings:list", kwargs={"org_slug": slug, "mentorship_pk": mentorship.pk}
    )
    page.click(f'main a[href="{meetings_url}"]')
    page.wait_for_url(f"**{meetings_url}")

    page.click(f'main a[href="{reverse("meetings:create", args=[slug, mentorship.pk])}"]')
    # The first meeting took place an hour ago; the mentor records it afterwards.
    with timezone.override(organisation.timezone):
        began = timezone.localtime(timezone.now() - timedelta(hours=1))
    page.select_option("select[name=kind]", "first")
    page.fill("input[name=starts_at]", began.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=duration_minutes]", "40")
    page.check('input[name=format][value="in_person"]')
    page.fill("input[name=place]", "Кабинет 214")
    page.fill("textarea[name=notes]", "Знакомство, правила работы")
    page.click("main form button[type=submit]")
    meeting = Meeting.objects.get()
    detail_url = reverse("meetings:detail", args=[slug, meeting.pk])
    page.wait_for_url(f"**{detail_url}")
    expect(page.locator(".messages")).to_contain_text(ru("The meeting is planned."))
    expect(page.locator("main")).to_contain_text("Кабинет 214")
    expect(page.locator("main")).to_contain_text(began.strftime("%H:%M"))

    page.click(f'main a[href="{reverse("meetings:hold", args=[slug, meeting.pk])}"]')
    page.fill("textarea[name=notes]", "Познакомились, обсудили интересы")
    page.fill("textarea[name=next_steps]", "Заполнить анкету интересов к среде")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{detail_url}")
    expect(page.locator(".messages")).to_contain_text(ru("The meeting is marked as held."))
    expect(page.locator("main")).to_contain_text("Заполнить анкету интересов к среде")
    expect(page.locator("main h1 .badge")).to_have_text(ru("Held"))
    assert Meeting.objects.get().status == MeetingStatus.HELD

    # The plan of the pair: drawn up empty, then one item of the mentor's own.
    plan_url = reverse("plans:plan", args=[slug, mentorship.pk])
    page.goto(live_server.url + reverse("cabinets:mentor", kwargs={"org_slug": slug}))
    page.click(f'main a[href="{plan_url}"]')
    page.wait_for_url(f"**{plan_url}")
    page.click('main form button[name="from"][value="empty"]')
    page.wait_for_url(f"**{plan_url}")
    page.click(f'main a[href="{reverse("plans:item_add", args=[slug, mentorship.pk])}"]')
    page.select_option("select[name=section]", "task")
    page.fill("textarea[name=text]", "Подготовить доклад о робототехнике")
    due = mentorship.started_on + timedelta(days=40)
    page.fill("input[name=due_on]", due.isoformat())
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{plan_url}")
    expect(page.locator("main")).to_contain_text("Подготовить доклад о робототехнике")
    assert PlanItem.objects.filter(text="Подготовить доклад о робототехнике").exists()
    page.context.close()

    # --- The mentee ------------------------------------------------------------------------
    page = log_in(browser, live_server, "mentee@pair.ru", slug)
    page.goto(live_server.url + reverse("cabinets:mentee", kwargs={"org_slug": slug}))
    page.click(f'#feedback-heading ~ ul a[href="{detail_url}"]')
    page.wait_for_url(f"**{detail_url}")
    expect(page.locator("main")).to_contain_text("Заполнить анкету интересов к среде")
    expect(page.locator("#rate")).to_contain_text(ru("How did the meeting go?"))

    page.fill("#rate input[name=rating]", "0")
    page.click("#rate button[type=submit]")
    page.wait_for_url(f"**{detail_url}")
    refusal = ru("The rating is a whole number from %(min)s to %(max)s.") % {"min": 1, "max": 10}
    expect(page.locator(".messages")).to_contain_text(refusal)
    assert not Feedback.objects.exists()

    page.fill("#rate input[name=rating]", "9")
    page.fill("#rate textarea[name=comment]", "Было интересно")
    page.click("#rate button[type=submit]")
    page.wait_for_url(f"**{detail_url}")
    expect(page.locator(".messages")).to_contain_text(ru("Thank you: your rating is saved."))
    expect(page.locator("main")).to_contain_text(ru("rated %(rating)s out of 10") % {"rating": 9})
    expect(page.locator("#rate")).to_have_count(0)
    feedback = Feedback.objects.get()
    assert (feedback.side, feedback.rating, feedback.comment) == ("mentee", 9, "Было интересно")
    page.context.close()
