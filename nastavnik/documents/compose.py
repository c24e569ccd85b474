"""Putting DOCX files together: an organisation's own blank ahead of a document, and
appendices after it, each on a new page under its «Приложение № N …» heading.

docxcompose does the merging: it carries over each part's styles, numbering, images and
sections, which copying paragraphs by hand would lose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import nsmap
from docxcompose.composer import Composer
from docxcompose.utils import xpath

from .render import document_bytes

# docxcompose rebinds python-docx's global prefix «cp» to the custom-properties namespace when
# imported (docxcompose.utils: `nsmap.update(NS)`). Every document made afterwards in the
# process then wrote «last modified by», «revision» and «last printed» under the wrong
# namespace in docProps/core.xml. The core-properties binding is put back; we merge documents
# with docxcompose but never touch custom properties.
nsmap["cp"] = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


# The style references an element may carry (docxcompose's own query in add_styles).
_STYLE_REFERENCES = ".//w:tblStyle|.//w:pStyle|.//w:rStyle"


class _Composer(Composer):
    """docxcompose's Composer, skipping the elements that use no style.

    `add_styles` lists every style of the master document (reading each one's type) before it
    looks at what the element uses, once per paragraph and table appended: about a third of
    putting an order and its appendices together. An element without a style reference has
    nothing to carry over, so it is not asked.
    """

    def add_styles(self, doc: Any, element: Any) -> None:
        if xpath(element, _STYLE_REFERENCES):
            super().add_styles(doc, element)


# A part as a file's bytes, or as a document made in memory (`render.render_document`), which
# need not be zipped and read back before it is merged.
Part = bytes | DocxDocument


@dataclass(frozen=True)
class Appendix:
    heading: str
    content: Part


def _opened(part: Part) -> DocxDocument:
    return Document(BytesIO(part)) if isinstance(part, bytes) else part


def compose(
    document: Part, *, blank: bytes | None = None, appendices: Sequence[Appendix] = ()
) -> bytes:
    """`document` headed by `blank` (when given) and followed by `appendices`, as one file."""
    if blank is None and not appendices:
        return document if isinstance(document, bytes) else document_bytes(document)
    # The blank is the master when there is one, so its page setup, header and styles win.
    composer = _Composer(_opened(blank if blank is not None else document))
    if blank is not None:
        composer.append(_opened(document))
    for appendix in appendices:
        body = composer.doc
        body.add_page_break()
        heading = body.add_paragraph(appendix.heading)
        heading.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        composer.append(_opened(appendix.content))
    out = BytesIO()
    composer.save(out)
    return out.getvalue()
