"""How a view shows a service's refusal: on the form it came from, or as a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def attempt(form: Any, write: Callable[[], Any]) -> Any:
    """Run a service; its ValidationError lands on the form. Returns the result or None."""
    try:
        return write()
    except ValidationError as error:
        form.add_rule_errors(error)
        return None


def refuse(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)
