"""The services' errors: a rule that a change breaks is told by a key of the app's table of
messages, on the field it concerns (or above the form), with the values its words name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RuleError(Protocol):
    def __call__(self, key: str, /, field: str | None = None, **params: Any) -> ValidationError: ...


def rule_errors(messages: Mapping[str, StrOrPromise]) -> RuleError:
    """The app's `_error`: the ValidationError of `messages[key]` (its code the key), on
    `field` when one is named, as the forms' `add_rule_errors` shows it. `key` is positional
    only, so that a value the words name may be called `key` too."""

    def error(key: str, /, field: str | None = None, **params: Any) -> ValidationError:
        found = ValidationError(messages[key], code=key, params=params or None)
        return ValidationError({field: found}) if field else found

    return error
