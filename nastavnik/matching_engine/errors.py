"""The one error the engine raises for bad input."""

from __future__ import annotations

from collections.abc import Iterable

#: Ids quoted in a message; the full list is on the exception.
_IDS_IN_MESSAGE = 10


class EngineInputError(ValueError):
    """Input the engine refuses, with a stable ``code`` for the caller to translate and the
    ``ids`` of the people (or pairs) at fault. Nothing has been computed when it is raised."""

    def __init__(self, code: str, message: str, ids: Iterable[object] = ()) -> None:
        self.code = code
        self.ids: tuple[object, ...] = tuple(ids)
        self.detail = message
        super().__init__(f"{message}{_quoted(self.ids)}")


def _quoted(ids: tuple[object, ...]) -> str:
    if not ids:
        return ""
    shown = ", ".join(repr(i) if isinstance(i, tuple) else str(i) for i in ids[:_IDS_IN_MESSAGE])
    more = f" and {len(ids) - _IDS_IN_MESSAGE} more" if len(ids) > _IDS_IN_MESSAGE else ""
    return f": {shown}{more}."
