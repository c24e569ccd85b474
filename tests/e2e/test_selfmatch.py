"""Self-match through a real browser: the mentee opens the cabinet, sees three suggested mentors
with reasons and asks the first; the mentor accepts in their cabinet; the curator approves on the
form's self-match page and the order «о закреплении наставнических пар» is drafted."""

from django.urls import reverse
from playwright.sync_api import expect

from nastavnik.orgs.models import Role
from tests.e2e.pages import log_in, ru


def test_mentee_asks_mentor_accepts_curator_approves(browser, live_server):
    from nastavnik.matching.models import SelfMatchRequest, SelfMatchStatus
    from nastavnik.matching.tests.selfmatch_data import selfmatch_world
    from nastavnik.orgs.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    organisation = OrganisationFactory(slug="school-choice", short_name="Школа № 7")
    slug = organisation.slug
    world = selfmatch_world(organisation)
    for email, role, person in (
        ("mentee@choice.ru", Role.MENTEE, world.teen.person),
        ("mentor@choice.ru", Role.MENTOR, None),
        ("curator@choice.ru", Role.CURATOR, None),
    ):
        user = UserFactory(email=email)
        MembershipFactory(user=user, organisation=organisation, role=role)
        if person is not None:
            person.user = user
            person.save(update_fields=["user"])

    # --- The mentee ----------------------------------------------------------------------
    page = log_in(browser, live_server, "mentee@choice.ru", slug)
    page.goto(live_server.url + reverse("cabinets:mentee", kwargs={"org_slug": slug}))
    suggestions = page.locator(".suggestion")
    expect(suggestions).to_have_count(3)
    expect(suggestions.first).to_contain_text("Общие предметы")
    chosen = suggestions.first.locator("input[name=mentor]").get_attribute("value")
    from nastavnik.mentors.models import Mentor

    mentor = Mentor.objects.select_related("person").get(pk=chosen)
    mentor_user = UserFactory(email="chosen@choice.ru")
    MembershipFactory(user=mentor_user, organisation=organisation, role=Role.MENTOR)
    mentor.person.user = mentor_user
    mentor.person.save(update_fields=["user"])
    page.fill("textarea[name=message]", "Хочу подготовиться к ОГЭ по математике")
    page.click(f"button:has-text('{ru('Ask this mentor')}')")
    expect(page.locator("body")).to_contain_text(
        ru("Request to %(mentor)s: %(status)s.").split("%")[0]
    )
    page.context.close()

    # --- The mentor ----------------------------------------------------------------------
    page = log_in(browser, live_server, "chosen@choice.ru", slug)
    page.goto(live_server.url + reverse("cabinets:mentor", kwargs={"org_slug": slug}))
    expect(page.locator("#requests")).to_contain_text("Хочу подготовиться к ОГЭ")
    page.click("#requests button[value=accept]")
    expect(page.locator("body")).to_contain_text(
        ru("You accepted the request: the curator will approve the pair.")
    )
    page.context.close()

    # --- The curator ---------------------------------------------------------------------
    page = log_in(browser, live_server, "curator@choice.ru", slug)
    page.goto(
        live_server.url
        + reverse(
            "matching:selfmatch", kwargs={"org_slug": slug, "programme_form_pk": world.chosen.pk}
        )
    )
    page.click(f"a:has-text('{ru('Approve')}')")
    page.click(f"button:has-text('{ru('Approve and prepare the order')}')")
    expect(page.locator("body")).to_contain_text("Пара закреплена, подготовлен приказ №")
    made = SelfMatchRequest.objects.get()
    assert made.status == SelfMatchStatus.APPROVED
    assert made.mentorship.pairs_order.title.startswith("О закреплении наставнических пар")
    page.context.close()
