"""The mentee base to XLSX, as the list shows it with its filters.

Text that a spreadsheet would run as a formula (a request typed as «=HYPERLINK(…)») is written
as text with Excel's quote prefix, as the people export does: opening the file never runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.catalogue.profile import SLOT_CHOICES
from nastavnik.documents.spreadsheet import table_xlsx
from nastavnik.mentees.models import Mentee
from nastavnik.people.models import Person

_SLOT_LABELS = dict(SLOT_CHOICES)


def _slots(values: list[str]) -> str:
    return "; ".join(str(_SLOT_LABELS.get(value, value)) for value in values)


def _class_or_position(mentee: Mentee) -> str:
    return mentee.person.class_name or mentee.person.position


def mentees_xlsx(mentees: Iterable[Mentee]) -> bytes:
    """The workbook of `mentees` (an already scoped and filtered list)."""
    rows = list(mentees)
    preferred = {
        p.pk: p.full_name
        for p in Person.objects.filter(
            pk__in={pk for m in rows for pk in m.preferences if isinstance(pk, int)}
        )
    }
    zone = timezone.get_current_timezone()
    columns: list[tuple[str, Callable[[Mentee], Any]]] = [
        (_("Full name"), lambda m: m.person.full_name),
        (_("Class or position"), _class_or_position),
        (_("Birth date"), lambda m: m.person.birth_date),
        (_("Status"), lambda m: m.get_status_display()),
        (_("Form"), lambda m: m.form.name if m.form else ""),
        (_("Role model"), lambda m: m.role_model.name if m.role_model else ""),
        (_("Requests"), lambda m: "; ".join(m.topic_labels)),
        (_("Request in own words"), lambda m: m.request_text),
        (_("Subjects"), lambda m: m.subjects),
        (_("Time available"), lambda m: _slots(m.availability)),
        (_("Meeting format"), lambda m: m.get_meeting_format_display()),
        (_("Mean mark"), lambda m: m.results),
        (
            _("Preferred mentors"),
            lambda m: "; ".join(preferred[pk] for pk in m.preferences if pk in preferred),
        ),
        (_("Needs support"), lambda m: _("yes") if m.support_needed else ""),
        (_("Reason for leaving"), lambda m: m.left_reason),
        (_("Added"), lambda m: m.created_at.astimezone(zone).date()),
    ]
    return table_xlsx(
        _("Mentee base"),
        [title for title, _getter in columns],
        ([getter(mentee) for _title, getter in columns] for mentee in rows),
    )
