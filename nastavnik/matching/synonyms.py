"""The organisation's synonym groups: one group a line, its words separated by «=», «,» or
«↔»; the first word is the one the others count as («3D = трёхмерный»). The engine reads each
word as it reads a request (lemmas, abbreviations), so «трёхмерному» counts as «3D» too."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nastavnik.matching.models import SynonymList
from nastavnik.matching_engine.text import DEFAULT_SYNONYMS
from nastavnik.orgs.models import Organisation

_SEPARATORS = re.compile(r"\s*(?:=|,|;|↔|<->)\s*")
Groups = tuple[tuple[str, ...], ...]


def default_text() -> str:
    return "\n".join(" = ".join(group) for group in DEFAULT_SYNONYMS)


def parse(text: str) -> Groups:
    """The groups of a text; a line with fewer than two words is an error naming the line."""
    groups: list[tuple[str, ...]] = []
    bad: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        words = tuple(w for w in _SEPARATORS.split(line.strip()) if w)
        if len(words) < 2:
            bad.append(str(number))
            continue
        groups.append(words)
    if bad:
        raise ValidationError(
            _("A group needs at least two words separated by «=»; see lines %(lines)s.")
            % {"lines": ", ".join(bad)},
            code="synonyms_group_too_short",
        )
    return tuple(groups)


def synonym_text(organisation: Organisation) -> str:
    row = SynonymList.objects.filter(organisation=organisation).first()
    return row.text if row is not None else default_text()


def synonym_groups(organisation: Organisation) -> Groups:
    """What the engine is given for this organisation."""
    row = SynonymList.objects.filter(organisation=organisation).first()
    if row is None:
        return DEFAULT_SYNONYMS
    try:
        return parse(row.text)
    except ValidationError:
        return DEFAULT_SYNONYMS


def synonyms_save(organisation: Organisation, text: str) -> SynonymList:
    parse(text)
    row, _created = SynonymList.objects.update_or_create(
        organisation=organisation, defaults={"text": text.strip()}
    )
    return row
