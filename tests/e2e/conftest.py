"""The browser for the end-to-end tests: Debian's chromium, never `playwright install` (no
downloads at test time). Every test here is marked `browser` and skips when chromium is
missing, so `make test` works on a laptop without it; CI installs it."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(
                pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no chromium at {CHROMIUM}")
            )


@pytest.fixture
def browser(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    from django.contrib.contenttypes.models import ContentType

    from nastavnik.catalogue import builtin
    from nastavnik.catalogue.models import MentoringForm, RoleModel

    # A transactional test before this one may have flushed the rows the migrations loaded,
    # and with them the content types the cache still remembers.
    builtin.load(MentoringForm, RoleModel)
    ContentType.objects.clear_cache()
    # Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
    # the ORM calls the test makes around it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        expect.set_options(timeout=TIMEOUT_MS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="ru-RU")
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()
