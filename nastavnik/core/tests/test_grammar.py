"""Messages about a person agree with the person's gender; time zones read as people say them."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.utils import translation
from django.utils.translation import pgettext

from nastavnik.core.grammar import by_gender, gender_of
from nastavnik.core.text import file_name
from nastavnik.core.timezones import utc_offset, zone_label


def approved(person):
    return by_gender(
        person,
        pgettext("masculine", "%(name)s is approved as a mentor."),
        pgettext("feminine", "%(name)s is approved as a mentor."),
    ) % {"name": "Макарова Мария"}


def test_a_message_about_a_woman_and_about_a_man():
    with translation.override("ru"):
        assert approved(SimpleNamespace(gender="f")) == "Макарова Мария утверждена наставником."
        assert approved(SimpleNamespace(gender="m")) == "Макарова Мария утверждён наставником."
    with translation.override("en"):
        assert approved(SimpleNamespace(gender="f")) == "Макарова Мария is approved as a mentor."


def test_the_gender_is_read_through_a_mentor_or_mentee_to_the_person():
    assert gender_of(SimpleNamespace(person=SimpleNamespace(gender="f"))) == "f"
    assert gender_of("f") == "f"
    # Unknown: the masculine form of official Russian, never a hedge.
    assert gender_of(SimpleNamespace(gender="")) == "m"
    assert gender_of(None) == "m"


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("Asia/Yekaterinburg", "время екатеринбургское, UTC+5"),
        ("Europe/Moscow", "время московское, UTC+3"),
        ("Asia/Kolkata", "UTC+5:30"),
        ("UTC", "UTC"),
        ("America/Sao_Paulo", "UTC\u22123"),
    ],
)
def test_a_time_zone_reads_as_its_city_and_offset(zone, label):
    with translation.override("ru"):
        assert zone_label(zone, datetime(2026, 10, 1, tzinfo=UTC)) == label


def test_offset_follows_summer_time():
    assert utc_offset("Europe/Berlin", datetime(2026, 7, 1, tzinfo=UTC)) == "UTC+2"
    assert utc_offset("Europe/Berlin", datetime(2026, 1, 1, tzinfo=UTC)) == "UTC+1"


def test_a_file_name_does_not_double_the_dot_of_initials():
    assert file_name("ИПР Иванов Н. Ф.", "docx") == "ИПР Иванов Н. Ф.docx"
    assert file_name("Приказ № 5/о: «а»", "pdf") == "Приказ № 5-о- «а».pdf"
