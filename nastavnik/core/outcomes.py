"""How a view shows a service's refusal: on the form it came from, or as a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

T = TypeVar("T")

# What an action says when it worked: a fixed text, or one made from the service's result
# (a count, a name the service chose); None says nothing.
Success = str | Callable[[T], str] | None


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


def perform(
    request: HttpRequest,
    action: Callable[[], T],
    *,
    success: Success[T],
    redirect_to: str | HttpResponse,
) -> HttpResponse:
    """The shape of a POST action view: run the service, say that it worked or why not, go back.

    `redirect_to` is a URL or a ready redirect; either way the user lands there whether the
    service agreed or refused, so the refusal is read on the page the action was taken from.
    """
    try:
        result = action()
    except ValidationError as error:
        refuse(request, error)
    else:
        text = success(result) if callable(success) else success
        if text is not None:
            messages.success(request, text)
    return redirect_to if isinstance(redirect_to, HttpResponse) else redirect(redirect_to)
