"""Personal link tokens and short codes of invitations.

A link carries a long random token; a slip carries a short code that a student types from
paper: eight characters of an alphabet without look-alikes (no 0/O, 1/I/L), shown as
``K7M4-PX2Q``. Only their hashes are stored. Typing is forgiving: case, spaces and dashes do
not matter, and Cyrillic letters that look like Latin ones (a phone keyboard left in Russian)
read as those.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
TOKEN_BYTES = 32

_LOOK_ALIKES = str.maketrans(
    {
        "А": "A",
        "В": "B",
        "С": "C",
        "Е": "E",
        "Н": "H",
        "К": "K",
        "М": "M",
        "Р": "P",
        "Т": "T",
        "Х": "X",
        "У": "Y",
        "З": "3",
    }
)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """«K7M4PX2Q» → «K7M4-PX2Q»."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_code(typed: str) -> str | None:
    """The code as issued, or None when what was typed cannot be one."""
    folded = "".join(ch for ch in typed.upper() if not ch.isspace() and ch not in "-–—_.")
    folded = folded.translate(_LOOK_ALIKES)
    if len(folded) != CODE_LENGTH or any(ch not in ALPHABET for ch in folded):
        return None
    return folded
