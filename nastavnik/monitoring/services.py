"""Writes to the SWOT analysis of a programme. Views, the demo and tests all come through here.

Each function is atomic and validated: bad input raises ValidationError and writes nothing.
A SWOT is the conclusion of a year, so it stays editable after the programme is finished.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.core.rules import rule_errors
from nastavnik.monitoring.models import ItemSource, Quadrant, SwotAnalysis, SwotDiscard, SwotItem
from nastavnik.monitoring.swot import candidates
from nastavnik.programmes.models import Programme

TEXT_MAX_LENGTH = 1000

MESSAGES = {
    "text_required": _("Write the item: the text is empty."),
    "text_long": _("An item takes at most %(limit)s characters; this one has %(length)s."),
    "quadrant": _(
        "Choose one of the four quadrants: strengths, weaknesses, opportunities, threats."
    ),
    "candidate_gone": _(
        "This suggestion is no longer offered: it was accepted or set aside, or the data changed."
    ),
}


_error = rule_errors(MESSAGES)


def _clean_text(text: str | None) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise _error("text_required", "text")
    if len(cleaned) > TEXT_MAX_LENGTH:
        raise _error("text_long", "text", limit=TEXT_MAX_LENGTH, length=len(cleaned))
    return cleaned


def _clean_quadrant(quadrant: str | None) -> str:
    if quadrant not in Quadrant.values:
        raise _error("quadrant", "quadrant")
    return quadrant


def analysis_of(programme: Programme, *, by: User | None = None) -> SwotAnalysis:
    """The programme's analysis, made on the first write."""
    analysis, _made = SwotAnalysis.objects.get_or_create(
        programme=programme,
        defaults={"organisation_id": programme.organisation_id, "updated_by": by},
    )
    return analysis


def _touch(analysis: SwotAnalysis, by: User | None) -> None:
    analysis.updated_by = by
    analysis.save(update_fields=["updated_at", "updated_by"])


def _next_position(analysis: SwotAnalysis, quadrant: str) -> int:
    last = analysis.items.filter(quadrant=quadrant).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def item_add(
    programme: Programme,
    quadrant: str,
    text: str,
    *,
    by: User | None,
    source: str = ItemSource.CURATOR,
    candidate_key: str = "",
) -> SwotItem:
    """An item the curator wrote, at the end of its quadrant."""
    errors: dict[str, list[ValidationError]] = {}
    for _field, clean, value in (
        ("quadrant", _clean_quadrant, quadrant),
        ("text", _clean_text, text),
    ):
        try:
            clean(value)
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    analysis = analysis_of(programme, by=by)
    item = SwotItem.objects.create(
        organisation_id=programme.organisation_id,
        analysis=analysis,
        quadrant=quadrant,
        text=text.strip(),
        source=source,
        candidate_key=candidate_key,
        position=_next_position(analysis, quadrant),
    )
    _touch(analysis, by)
    return item


@transaction.atomic
def item_update(item: SwotItem, quadrant: str, text: str, *, by: User | None) -> SwotItem:
    cleaned_quadrant = _clean_quadrant(quadrant)
    cleaned_text = _clean_text(text)
    if cleaned_quadrant != item.quadrant:
        item.position = _next_position(item.analysis, cleaned_quadrant)
    item.quadrant = cleaned_quadrant
    item.text = cleaned_text
    item.save(update_fields=["quadrant", "text", "position"])
    _touch(item.analysis, by)
    return item


@transaction.atomic
def item_delete(item: SwotItem, *, by: User | None) -> None:
    analysis = item.analysis
    item.delete()
    _touch(analysis, by)


@transaction.atomic
def candidate_accept(
    programme: Programme, key: str, quadrant: str, text: str | None = None, *, by: User | None
) -> SwotItem:
    """A candidate into a quadrant (the curator's choice, not necessarily the suggested one),
    with its text as offered or as the curator edited it."""
    offered = {c.key: c for c in candidates(programme)}
    candidate = offered.get(key)
    if candidate is None:
        raise _error("candidate_gone")
    return item_add(
        programme,
        quadrant,
        candidate.text if text is None else text,
        by=by,
        source=ItemSource.CANDIDATE,
        candidate_key=key,
    )


@transaction.atomic
def candidate_discard(programme: Programme, key: str, *, by: User | None) -> SwotDiscard:
    """Set a candidate aside: it is not offered again."""
    if key not in {c.key for c in candidates(programme)}:
        raise _error("candidate_gone")
    analysis = analysis_of(programme, by=by)
    discard = SwotDiscard.objects.create(
        organisation_id=programme.organisation_id, analysis=analysis, candidate_key=key
    )
    _touch(analysis, by)
    return discard
