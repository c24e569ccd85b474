"""The Content-Security-Policy allows no inline script, handler or style: in a real browser the
key pages load without a single violation, and what used to be inline still works (the language
switch, the category fields of the person form, the timeline's positions, the charts, htmx)."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from nastavnik.demo.tests.factories import load_demo
from nastavnik.programmes.models import Programme

# Every violation the page sees, from the browser's own event; the init script runs before the
# page's scripts and is not subject to the page's policy.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def violations(page: Page, console: list[str]) -> list[str]:
    seen = page.evaluate("window.__cspViolations || []")
    return seen + [line for line in console if "Content Security Policy" in line]


def open_page(page: Page, url: str, console: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    assert violations(page, console) == [], url


def test_key_pages_load_without_a_csp_violation_and_still_work(page, live_server):
    load_demo()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(f"pageerror {error}"))
    page.context.add_init_script(RECORD_VIOLATIONS)
    org = "school-5"
    programme = Programme.objects.filter(organisation__slug=org).order_by("-pk").first()

    open_page(page, live_server.url + reverse("accounts:login"), console)
    page.fill("input[name=username]", "curator@school5.demo")
    page.fill("input[name=password]", "demo12345")
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{reverse('orgs:dashboard', kwargs={'org_slug': org})}")
    assert violations(page, console) == []

    # htmx search on the registry.
    open_page(page, live_server.url + reverse("people:list", kwargs={"org_slug": org}), console)
    page.locator("input[name=q]").fill("zzzz-nobody")
    page.locator("input[name=q]").press("Enter")
    expect(page.locator("main table")).to_have_count(0)

    # The category of a new person shows its own fields at once (was an inline script).
    open_page(page, live_server.url + reverse("people:create", kwargs={"org_slug": org}), console)
    kind = page.locator("#id_kind")
    options = kind.locator("option").evaluate_all("els => els.map(e => e.value).filter(Boolean)")
    hidden_before = page.locator("[data-kinds][hidden]").count()
    shown = {}
    for value in options:
        kind.select_option(value)
        shown[value] = page.locator("[data-kinds]:not([hidden])").count()
    assert len(set(shown.values())) > 1, shown
    assert hidden_before > 0

    # The timeline places its bands and marks from data attributes (were style attributes).
    open_page(
        page,
        live_server.url
        + reverse("programmes:timeline", kwargs={"org_slug": org, "programme_pk": programme.pk}),
        console,
    )
    lefts = page.locator(".timeline-month").evaluate_all("els => els.map(e => e.style.left)")
    assert lefts and all(left.endswith("%") for left in lefts)
    assert len(set(lefts)) > 1

    # Charts are inline SVG without style attributes: drawn, with their colours.
    open_page(
        page,
        live_server.url
        + reverse("indicators:programme", kwargs={"org_slug": org, "programme_pk": programme.pk}),
        console,
    )
    charts = page.locator("figure.chart svg")
    expect(charts.first).to_be_visible()
    assert page.locator("figure.chart [style]").count() == 0

    # The language switch applies on change (was onchange).
    page.select_option("#language", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert violations(page, console) == []

    # A mentor's calendar address is selected by a click (was onclick).
    page.context.clear_cookies()
    open_page(page, live_server.url + reverse("accounts:login"), console)
    page.fill("input[name=username]", "mentor@school5.demo")
    page.fill("input[name=password]", "demo12345")
    page.click("form button[type=submit]")
    page.wait_for_url("**/o/school-5/**")
    open_page(page, live_server.url + reverse("meetings:feed", kwargs={"org_slug": org}), console)
    page.click("form.feed-actions button[value=issue]")
    address = page.locator("#feed-address")
    address.click()
    selected = page.evaluate(
        "() => { const a = document.getElementById('feed-address');"
        " return a.selectionEnd - a.selectionStart; }"
    )
    assert selected == len(address.input_value()) > 0
    assert violations(page, console) == []
