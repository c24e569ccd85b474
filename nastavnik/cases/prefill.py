"""A first draft of a case from a pair or group: its form and role model, the mentees' requests
as the situation, the recorded results of the pair as the results. The curator rewrites it; no
name goes into the text (the names come from the pair's record, under consent)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from nastavnik.mentorships.models import Mentorship

# The parts of a pair's final results, as the completion of a pair records them (stage 7).
RESULT_PARTS: tuple[tuple[str, str], ...] = (
    ("summary", ""),
    ("achievements", "Достижения: "),
    ("project", "Защищённый проект: "),
    ("grades_change", "Изменения в успеваемости: "),
)


def _pair_result(mentorship: Mentorship) -> Any:
    try:
        return mentorship.result
    except (AttributeError, ObjectDoesNotExist):
        return None


def _situation(mentorship: Mentorship) -> str:
    lines = []
    for member in mentorship.members.all():
        mentee = member.mentee
        topics = ", ".join(mentee.topic_labels)
        parts = [p for p in (topics, mentee.request_text.strip()) if p]
        if parts:
            lines.append("Запрос наставляемого: " + "; ".join(parts))
    return "\n".join(dict.fromkeys(lines))


def _results(mentorship: Mentorship) -> str:
    result = _pair_result(mentorship)
    if result is None:
        return ""
    lines = []
    for field, prefix in RESULT_PARTS:
        value = str(getattr(result, field, "") or "").strip()
        if value:
            lines.append(prefix + value)
    return "\n".join(lines)


def initial_from(mentorship: Mentorship) -> dict[str, Any]:
    title = mentorship.form.shown_name
    if mentorship.role_model is not None:
        title = f"{title}: «{mentorship.role_model.shown_name}»"
    return {
        "title": title,
        "form": mentorship.form,
        "role_model": mentorship.role_model,
        "situation": _situation(mentorship),
        "results": _results(mentorship),
    }
