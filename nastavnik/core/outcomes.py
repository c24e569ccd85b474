"""What a view answers: a service's refusal on the form it came from or as a message, the
page again or the way on, and an uploaded file given back."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from io import BytesIO
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from nastavnik.core.uploads import content_type_of

T = TypeVar("T")

# What an action says when it worked: a fixed text, or one made from the service's result
# (a count, a name the service chose); None says nothing.
Success = str | Callable[[T], str] | None


# Where a view sends the user: a URL or a ready redirect.
Target = str | HttpResponse


def _go(target: Target) -> HttpResponse:
    return target if isinstance(target, HttpResponse) else redirect(target)


def _say(request: HttpRequest, success: Success[T], result: T) -> None:
    text = success(result) if callable(success) else success
    if text is not None:
        messages.success(request, text)


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
        _say(request, success, result)
    return _go(redirect_to)


def submit(
    request: HttpRequest,
    form: Any,
    write: Callable[[], T | None],
    *,
    success: Success[T],
    redirect_to: Target | Callable[[T], Target],
    template: str,
    context: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The shape of a form view: on a valid POST run the service, say that it worked and go on;
    otherwise (a GET, an invalid form, a refusal the service put on the form) show the page.

    `write` is called only once the form is valid, so it may read `form.cleaned_data`; a None
    from it means "refused" (as from `attempt`). `redirect_to` may be made from the result, for
    a row the service has just created. The page gets the form as `form` beside `context`;
    a context that costs queries to build is given as a function, called only for the page.
    """
    if request.method == "POST" and form.is_valid():
        result = attempt(form, write)
        if result is not None:
            _say(request, success, result)
            return _go(redirect_to(result) if callable(redirect_to) else redirect_to)
    shown = context() if callable(context) else context or {}
    return render(request, template, {"form": form, **shown}, status=status)


def download(content: bytes, filename: str, content_type: str) -> FileResponse:
    """A file made for the request (a document, an export) as a download named `filename`."""
    return FileResponse(
        BytesIO(content), as_attachment=True, filename=filename, content_type=content_type
    )


def stored_file(file: FieldFile, stem: str) -> FileResponse:
    """An uploaded file as a download: named for the reader (`stem`), with the extension and
    the content type of what was stored; 404 where nothing was uploaded."""
    if not file or not file.name:
        raise Http404
    name = file.name
    extension = name.rsplit(".", 1)[-1]
    return FileResponse(
        default_storage.open(name),
        as_attachment=True,
        filename=f"{stem}.{extension}",
        content_type=content_type_of(name),
    )
