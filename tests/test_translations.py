"""The Russian translation of the interface: complete, compiled, and really shown.

Russian is the default language and English is kept complete as the second one (DESIGN §7).
These tests fail when a string is left untranslated or fuzzy, when a plural misses a form,
when someone edits the catalogue and forgets `manage.py compilemessages -l ru`, and when a page
renders English to a Russian user (or Russian to an English one).
"""

from __future__ import annotations

import re
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from nastavnik.core.navigation import STAGES
from nastavnik.orgs.forms import OrganisationForm
from nastavnik.orgs.models import Role
from nastavnik.people.tests.factories import PersonFactory

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"
DJANGO_RU_PO = Path(django.__file__).parent / "conf" / "locale" / "ru" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _nplurals(plural_forms: str) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", plural_forms)
    assert match, plural_forms
    return int(match.group(1))


def _translations(catalogue: polib._BaseFile) -> dict[tuple[str, str, str], object]:
    """(context, msgid, msgid_plural) -> the translation(s), for a .po or a .mo alike."""
    result: dict[tuple[str, str, str], object] = {}
    for entry in catalogue:
        if entry.obsolete:
            continue
        key = (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")
        if entry.msgid_plural:
            result[key] = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            result[key] = entry.msgstr
    return result


# --- (a) the catalogue is complete -------------------------------------------------------


def test_header_is_russian_with_djangos_plural_forms(po):
    assert po.metadata["Language"] == "ru"
    assert po.metadata["Project-Id-Version"].startswith("Nastavnik")
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert not po.metadata_is_fuzzy
    # One rule for the whole process: Django merges its own catalogue with ours, and a
    # different rule would split them.
    django_ru = polib.pofile(str(DJANGO_RU_PO))
    assert po.metadata["Plural-Forms"] == django_ru.metadata["Plural-Forms"]


def test_every_entry_is_translated_and_not_fuzzy(po):
    entries = [entry for entry in po if not entry.obsolete]
    assert len(entries) > 300, "the catalogue looks truncated"
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert fuzzy == []
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    assert untranslated == []
    assert po.percent_translated() == 100


def test_plural_entries_have_every_form(po):
    nplurals = _nplurals(po.metadata["Plural-Forms"])
    assert nplurals == 4
    plurals = [entry for entry in po if entry.msgid_plural and not entry.obsolete]
    assert plurals, "the catalogue has plural entries; none were found"
    for entry in plurals:
        assert sorted(entry.msgstr_plural) == list(range(nplurals)), entry.msgid
        assert all(form.strip() for form in entry.msgstr_plural.values()), entry.msgid
        # one (1, 21), few (2–4) and many (5–20) are never one copied string; in the nominative
        # they are three words (пара, пары, пар), in the genitive and dative «few» and «many»
        # coincide (у 2 / у 5 наставляемых), so at least two differ.
        assert len({entry.msgstr_plural[i] for i in range(3)}) >= 2, entry.msgid


def test_translations_keep_placeholders_and_are_russian(po):
    for entry in po:
        if entry.obsolete:
            continue
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            assert sorted(PLACEHOLDER.findall(form)) == expected, (entry.msgid, form)
            # A msgid with no words, only placeholders and punctuation, has none to translate.
            if LATIN_WORD.search(PLACEHOLDER.sub("", entry.msgid)):
                assert CYRILLIC.search(form), (entry.msgid, form)


# --- (b) the compiled catalogue is in step with the source ---------------------------------


def test_compiled_catalogue_matches_the_po_file(po):
    assert MO_PATH.exists(), "run: python manage.py compilemessages -l ru"
    mo = polib.mofile(str(MO_PATH))
    assert mo.metadata.get("Plural-Forms") == po.metadata["Plural-Forms"]
    source = {key: value for key, value in _translations(po).items() if key[1]}
    compiled = {key: value for key, value in _translations(mo).items() if key[1]}
    missing = sorted(key[1] for key in source.keys() - compiled.keys())
    stale = sorted(key[1] for key in compiled.keys() - source.keys())
    changed = sorted(
        key[1] for key in source.keys() & compiled.keys() if source[key] != compiled[key]
    )
    assert (missing, stale, changed) == ([], [], []), (
        "django.mo is out of date: run `python manage.py compilemessages -l ru`"
    )


# --- (c) pages really show Russian ----------------------------------------------------------


def _page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_login_page_is_in_russian(client):
    html = _page(client.get(reverse("accounts:login")))

    assert '<html lang="ru">' in html
    for russian in ("Войти", "Электронная почта", "Пароль", "Забыли пароль?", "Наставник"):
        assert russian in html
    for english in ("Log in", "Forgot your password?", "E-mail", "Skip to content"):
        assert english not in html


@pytest.mark.django_db
def test_dashboard_is_in_russian(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))

    html = _page(client.get(reverse("orgs:dashboard", kwargs={"org_slug": "school-a"})))

    for russian in (
        "Главная",
        "Ваши роли",
        "Куратор",
        "учебный год",
        "Семь этапов программы наставничества",
        "Формирование базы наставляемых",
        "Отбор и обучение наставников",
        "Картотека",
        "Выйти",
    ):
        assert russian in html
    for english in (
        "Dashboard",
        "Your roles",
        "Academic year",
        "The seven stages of the programme",
        "Mentee base",
        "Selecting and training mentors",
        "People registry",
        "Log out",
    ):
        assert english not in html


@pytest.mark.django_db
def test_people_list_is_in_russian_with_russian_plurals(client, tenant_a):
    PersonFactory.create_batch(3, organisation=tenant_a.organisation)
    client.force_login(tenant_a.user(Role.CURATOR))

    html = _page(client.get(reverse("people:list", kwargs={"org_slug": "school-a"})))

    for russian in (
        "Картотека",
        "Поиск по ФИО",
        "Добавить человека",
        "Обучающийся",
        "Дата рождения",
        "Найдено 3 человека",
        "Сбросить",
    ):
        assert russian in html
    for english in (
        "People registry",
        "Search by name",
        "Add a person",
        "Student",
        "Birth date",
        "people found",
        "Reset",
    ):
        assert english not in html


def test_russian_plural_forms():
    with translation.override("ru"):
        found = {
            n: translation.ngettext("%(counter)s person found", "%(counter)s people found", n)
            % {"counter": n}
            for n in (1, 2, 5, 11, 21, 22, 25, 111)
        }
    assert found == {
        1: "Найден 1 человек",
        2: "Найдено 2 человека",
        5: "Найдено 5 человек",
        11: "Найдено 11 человек",
        21: "Найден 21 человек",
        22: "Найдено 22 человека",
        25: "Найдено 25 человек",
        111: "Найдено 111 человек",
    }


# --- (d) English stays the second language -------------------------------------------------


def test_lazy_strings_follow_the_active_language():
    """Labels built at import time stay lazy and follow the language of the request."""
    stage = STAGES[1]
    timezone_label = OrganisationForm.base_fields["timezone"].label
    with translation.override("ru"):
        assert str(stage.title) == "Формирование базы наставляемых"
        assert str(Role.CURATOR.label) == "Куратор"
        assert str(timezone_label) == "Часовой пояс"
    with translation.override("en"):
        assert str(stage.title) == "Mentee base"
        assert str(Role.CURATOR.label) == "Curator"
        assert str(timezone_label) == "Time zone"
        assert translation.gettext("People registry") == "People registry"
        assert (
            translation.ngettext("%(years)s year old", "%(years)s years old", 5)
            == "%(years)s years old"
        )


@pytest.mark.django_db
def test_english_pages_show_english(client, tenant_a):
    PersonFactory.create_batch(3, organisation=tenant_a.organisation)

    login = _page(client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en"))
    assert '<html lang="en">' in login
    assert "Forgot your password?" in login
    assert "Забыли пароль?" not in login

    client.force_login(tenant_a.user(Role.CURATOR))
    with translation.override("en"):
        people = _page(
            client.get(
                reverse("people:list", kwargs={"org_slug": "school-a"}),
                HTTP_ACCEPT_LANGUAGE="en",
            )
        )
    for english in ("People registry", "Search by name", "3 people found", "Mentee base"):
        assert english in people
    for russian in ("Картотека", "Поиск по ФИО", "Найдено", "Формирование базы наставляемых"):
        assert russian not in people
