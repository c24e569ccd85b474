"""Valid records of each category, relative to today, for tests of forms, services and views."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person, PersonKind
from nastavnik.people.validators import org_today

MOSCOW = ZoneInfo("Europe/Moscow")


def born(years: int, organisation: Organisation | None = None, *, days: int = 10) -> date:
    """A birth date `days` past the `years`-th birthday: the person is `years` old today."""
    today = org_today(organisation) if organisation else timezone.localdate(timezone=MOSCOW)
    try:
        birthday = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        birthday = today.replace(year=today.year - years, day=28)
    return birthday - timedelta(days=days)


def with_account(person: Person, user: User) -> Person:
    """The person, now signing in as `user`."""
    person.user = user
    person.save(update_fields=["user"])
    return person


def fio(full_name: str) -> dict[str, str]:
    """The name fields of a person from «Фамилия Имя Отчество» as a Russian form writes it:
    `PersonFactory(organisation=org, **fio("Петрова Анна Сергеевна"))`."""
    last_name, first_name, middle_name = full_name.split()
    return {"last_name": last_name, "first_name": first_name, "middle_name": middle_name}


def person_data(kind: str = PersonKind.STUDENT, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "kind": kind,
        "last_name": "Иванов",
        "first_name": "Пётр",
        "middle_name": "Сергеевич",
        "gender": "m",
        "email": "",
        "phone": "",
        "notes": "",
    }
    if kind == PersonKind.STUDENT:
        base.update(birth_date=born(12), grade=6, class_letter="Б")
    elif kind == PersonKind.STAFF:
        base.update(
            birth_date=born(40),
            position="Учитель физики",
            subjects="Физика, астрономия",
            experience_years=15,
        )
    elif kind == PersonKind.PARENT:
        base.update(birth_date=born(38), workplace="ООО «Ромашка»")
    elif kind == PersonKind.GRADUATE:
        base.update(birth_date=born(22), graduation_year=date.today().year - 4)
    elif kind == PersonKind.EXTERNAL:
        base.update(birth_date=born(45), external_category="employer", workplace="АО «Завод»")
    base.update(overrides)
    return base


def as_post(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """The same record as a browser would post it."""
    result = {}
    for key, value in data.items():
        if value is None:
            value = ""
        elif isinstance(value, date):
            value = value.isoformat()
        result[f"{prefix}-{key}" if prefix else key] = str(value)
    return result
