"""Russian text normalisation shared by search, duplicate detection and import."""

import re
from typing import Any

_SPACES = re.compile(r"\s+")
_SPACED_HYPHEN = re.compile(r"\s*-\s*")


def fold(text: str) -> str:
    """Lower case, 'ё' read as 'е', runs of spaces as one: 'Алёна  Пётровна' -> 'алена петровна'.

    Done in Python rather than SQL because SQLite's LOWER() folds only ASCII letters. A NUL
    character, which no name holds and PostgreSQL refuses in a query, is dropped, so a search
    typed with one finds what the rest of it names.
    """
    text = _SPACES.sub(" ", text.replace("\x00", "").strip().lower().replace("ё", "е"))
    return _SPACED_HYPHEN.sub("-", text)


def typed_text(value: Any) -> str:
    """Text as typed, with trailing spaces and blank lines at the ends trimmed."""
    return "\n".join(line.rstrip() for line in str(value or "").strip().splitlines())


def clean_name_part(text: str) -> str:
    """A name as people should see it: single spaces, no spaces around hyphens."""
    return _SPACED_HYPHEN.sub("-", _SPACES.sub(" ", text.strip()))


def initials(first: str, middle: str | None = "") -> str:
    """«А. С.»; «Анна-Мария» gives «А.-М.», as a double name is abbreviated in Russian."""
    result = []
    for name in (clean_name_part(first or ""), clean_name_part(middle or "")):
        if name:
            result.append("-".join(f"{p[0].upper()}." for p in name.split("-") if p))
    return " ".join(result)


def file_name(stem: str, extension: str) -> str:
    """A download's name: «ИПР Иванов Н. Ф.» + «docx» → «ИПР Иванов Н. Ф.docx».

    Characters no file system accepts become «-», and a stem's own final dot (initials end with
    one) is not doubled by the extension's: «Ф..docx» reads as a typo.
    """
    stem = re.sub(r"[\\/:*?\"<>|]+", "-", stem).strip().rstrip(".").strip()
    return f"{stem}.{extension}"
