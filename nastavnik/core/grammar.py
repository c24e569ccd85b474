"""Russian grammar of interface messages about a person: the one place that picks a gendered form.

Russian past tenses, short participles and adjectives agree with the person's gender
(«добавлен» / «добавлена», «ответил» / «ответила»). The gender is a fact recorded about the person
(people.Gender, 'm'/'f'), so a message never hedges with «добавлен(а)»: the caller passes both
forms, each marked for the translator by its context, and this helper chooses::

    by_gender(
        mentor.person,
        pgettext("masculine", "%(name)s is approved as a mentor."),
        pgettext("feminine", "%(name)s is approved as a mentor."),
    )

In English both forms are the same; the Russian catalogue gives each its own.
"""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["FEMININE", "MASCULINE", "by_gender", "gender_of"]

# The contexts (msgctxt) of the two forms in the catalogue.
MASCULINE = "masculine"
FEMININE = "feminine"


class _Gendered(Protocol):
    gender: str


def gender_of(who: Any) -> str:
    """'m' or 'f' for a person, for anything that has one (a mentor, a mentee, a membership
    of a pair: ``.person``), or for the code itself. Unknown is 'm', the form Russian official
    texts use for a person of unstated gender."""
    value: Any
    if isinstance(who, str):
        value = who
    else:
        value = getattr(who, "gender", None)
        if value is None and getattr(who, "person", None) is not None:
            value = getattr(who.person, "gender", None)
    return "f" if str(value or "").lower() == "f" else "m"


def by_gender(who: Any, masculine: Any, feminine: Any) -> str:
    """The form of a message that agrees with ``who``'s gender (see the module's docstring)."""
    return str(feminine if gender_of(who) == "f" else masculine)
