"""The reader's language, for texts the system stores in Russian and carries in English too
(the built-in catalogue, questionnaires and roadmap, the notifications)."""

from __future__ import annotations

from django.utils.translation import get_language


def reads_english() -> bool:
    """Whether the active language is English (any variant: "en", "en-gb")."""
    return (get_language() or "").split("-")[0] == "en"
