"""The same document is converted to PDF once: asked for again, its PDF comes from memory;
any change to the document converts it anew; the memory is bounded."""

import zipfile
from io import BytesIO

import pytest

from nastavnik.documents.render import (
    PdfConversionError,
    PdfConverterMissing,
    _ConvertedPdfs,
    converted_pdfs,
    docx_to_pdf,
    find_soffice,
    render_docx,
)
from nastavnik.documents.tests.test_render import TEMPLATE, fake_soffice, order_context


def rewritten(docx: bytes, date_time=(2031, 5, 17, 9, 30, 0), change: bytes = b"") -> bytes:
    """The same parts in a new zip, stamped `date_time` (as a later save would be), with
    `change` appended to the document's text part."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content += change
            target.writestr(zipfile.ZipInfo(info.filename, date_time=date_time), content)
    return out.getvalue()


@pytest.fixture(scope="module")
def order_docx():
    return render_docx(TEMPLATE, order_context())


def test_the_key_is_the_content_not_the_zip(order_docx):
    key = _ConvertedPdfs.key(order_docx)

    assert key is not None
    assert _ConvertedPdfs.key(rewritten(order_docx)) == key
    assert _ConvertedPdfs.key(rewritten(order_docx, (1999, 1, 1, 0, 0, 0))) == key
    assert _ConvertedPdfs.key(rewritten(order_docx, change=b" ")) != key
    assert _ConvertedPdfs.key(b"PK") is None
    assert _ConvertedPdfs.key(b"not a document") is None


def test_the_oldest_go_first_and_a_large_pdf_is_not_kept():
    kept = _ConvertedPdfs(max_bytes=400)
    kept.put(b"a", b"%" * 100)
    kept.put(b"b", b"%" * 100)
    kept.put(b"c", b"%" * 100)
    assert kept.get(b"a") is not None  # read last: "b" is now the oldest
    kept.put(b"d", b"%" * 100)
    kept.put(b"e", b"%" * 100)

    assert kept.get(b"b") is None
    assert [kept.get(k) is not None for k in (b"a", b"c", b"d", b"e")] == [True] * 4
    kept.put(b"large", b"%" * 101)  # over a quarter of the whole
    assert kept.get(b"large") is None
    assert kept.get(b"e") is not None


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_a_document_asked_for_again_is_not_converted_again(order_docx, settings, tmp_path):
    first = docx_to_pdf(order_docx)
    # From now on LibreOffice fails whatever it is given.
    settings.SOFFICE_PATH = fake_soffice(tmp_path, "echo 'broken' >&2; exit 1")

    # The same document written again (new zip timestamps): the PDF made a moment ago.
    assert docx_to_pdf(rewritten(order_docx)) == first
    # A document that differs by one character is converted, here by the broken LibreOffice.
    with pytest.raises(PdfConversionError, match="broken"):
        docx_to_pdf(rewritten(order_docx, change=b" "))


def test_without_libreoffice_no_pdf_is_given_even_one_kept(order_docx, settings, tmp_path):
    # A document of this test's own, so that no other test is handed the stand-in PDF.
    document = rewritten(order_docx, change=b"<!-- this test's own -->")
    converted_pdfs.put(_ConvertedPdfs.key(document), b"%PDF-kept")
    settings.SOFFICE_PATH = str(tmp_path / "no-soffice")

    with pytest.raises(PdfConverterMissing):
        docx_to_pdf(document)
