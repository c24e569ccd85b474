"""DOCX templates of the monitoring app. Built by `python -m nastavnik.documents.build_templates`
(which imports this module last); never import this module on its own."""

from __future__ import annotations

from collections.abc import Callable

TEMPLATES: dict[str, Callable[[], bytes]] = {}
