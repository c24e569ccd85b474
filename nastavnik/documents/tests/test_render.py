"""Rendering the sample order, reading it back, and converting it to PDF."""

import shutil
import subprocess
import zipfile
from datetime import date
from io import BytesIO
from types import SimpleNamespace

import pytest
from docx import Document
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Pt
from jinja2 import UndefinedError

from nastavnik.documents import build_templates
from nastavnik.documents.render import (
    TEMPLATES_DIR,
    PdfConversionError,
    PdfConverterMissing,
    docx_text,
    docx_to_pdf,
    find_soffice,
    render_docx,
    requisites,
    typeset,
)
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Gender, Person

TEMPLATE = "order_appoint_curator.docx"


def school(**overrides):
    fields = {
        "name": "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 7»",
        "address": "420000, г. Казань, ул. Школьная, д. 1",
        "inn": "1655000000",
        "phone": "+7 (843) 200-00-00",
        "email": "school7@example.ru",
    }
    return SimpleNamespace(**(fields | overrides))


def person(last, first, middle, gender):
    return SimpleNamespace(last_name=last, first_name=first, middle_name=middle, gender=gender)


def order_context(**overrides):
    context = {
        "org": school(),
        "number": "45-о",
        "date": date(2023, 1, 17),
        "place": "г. Казань",
        "academic_year": "2022/2023",
        "deadline": date(2023, 2, 1),
        "curator": person("Петрова", "Анна", "Сергеевна", "f"),
        "curator_position": "учитель математики",
        "director": person("Иванов", "Иван", "Иванович", "m"),
        "director_position": "Директор",
    }
    return context | overrides


def flat(text):
    return " ".join(text.split())


# --- The order -------------------------------------------------------------------------------


def test_order_reads_as_correct_russian():
    text = docx_text(render_docx(TEMPLATE, order_context()))
    lines = text.splitlines()

    assert lines[:5] == [
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 7»",
        "420000, г. Казань, ул. Школьная, д. 1",
        "ИНН 1655000000",
        "Тел.: +7 (843) 200-00-00",
        "E-mail: school7@example.ru",
    ]
    assert "ПРИКАЗ" in lines
    assert "«17» января 2023 г." in lines
    assert "№ 45-о" in lines
    assert "г. Казань" in lines
    assert "О назначении куратора программы наставничества" in lines
    assert (
        "1. Назначить куратором программы наставничества на 2022/2023 учебный год "
        "Петрову Анну Сергеевну, учителя математики." in lines
    )
    assert "2. Куратору программы наставничества Петровой А. С.:" in lines
    assert (
        "2.1. организовать разработку программы наставничества и дорожной карты её "
        "реализации в срок до 1 февраля 2023 г.;" in lines
    )
    assert "3. Контроль за исполнением приказа оставляю за собой." in lines
    assert "Директор" in lines
    assert "И. И. Иванов" in lines
    assert "С приказом ознакомлена:" in lines
    assert "А. С. Петрова" in lines
    assert "«___» ____________ 20___ г." in lines
    assert "{" not in text and "}" not in text


def test_no_line_breaks_where_russian_typography_forbids_them():
    """«№ 45-о», «2023 г.», «Петровой А. С.», «И. И. Иванов»: the spaces inside are
    non-breaking, in the template's own words and in the values alike."""
    docx = render_docx(TEMPLATE, order_context())
    xml = zipfile.ZipFile(BytesIO(docx)).read("word/document.xml").decode()
    nbsp = "\u00a0"

    for phrase in (
        f"№{nbsp}45-о",
        f"2023{nbsp}г.",
        f"Петровой{nbsp}А.{nbsp}С.",
        f"И.{nbsp}И.{nbsp}Иванов",
    ):
        assert phrase in xml, phrase
    assert "№ 45" not in xml and "2023 г." not in xml
    # The text still reads the same.
    assert "№ 45-о" in docx_text(docx)


def test_headers_footers_and_footnotes_are_typeset_like_the_body():
    """python-docx reads headers and footers as XML and keeps footnotes as bytes: both get
    the non-breaking spaces."""
    document = Document()
    document.add_paragraph("Приказ № 45-о")
    document.sections[0].header.add_paragraph("Приложение № 2")
    document.sections[0].footer.add_paragraph("2023 г.")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    footnotes = (
        f'<w:footnotes xmlns:w="{w}"><w:footnote w:id="1"><w:p><w:r>'
        "<w:t>ст. 9 &amp; № 7</w:t></w:r></w:p></w:footnote></w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        CONTENT_TYPE.WML_FOOTNOTES,
        footnotes.encode(),
        document.part.package,
    )
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    written = BytesIO()
    document.save(written)

    printed = zipfile.ZipFile(BytesIO(typeset(written.getvalue())))
    nbsp = "\u00a0"
    read = {n: printed.read(n).decode() for n in printed.namelist() if n.endswith(".xml")}
    header = next(xml for name, xml in read.items() if name.startswith("word/header"))
    footer = next(xml for name, xml in read.items() if name.startswith("word/footer"))
    assert f"№{nbsp}45-о" in read["word/document.xml"]
    assert f"№{nbsp}2" in header
    assert f"2023{nbsp}г." in footer
    assert f"ст.{nbsp}9 &amp; №{nbsp}7" in read["word/footnotes.xml"]


def test_order_for_a_male_curator_without_optional_parts():
    context = order_context(
        curator=person("Римский-Корсаков", "Илья", "Андреевич", "m"),
        curator_position="",
        place="",
        deadline=None,
    )
    text = docx_text(render_docx(TEMPLATE, context))

    assert (
        "1. Назначить куратором программы наставничества на 2022/2023 учебный год "
        "Римского-Корсакова Илью Андреевича." in text
    )
    assert "Куратору программы наставничества Римскому-Корсакову И. А.:" in text
    assert "дорожной карты её реализации;" in text
    assert "С приказом ознакомлен:" in text
    assert "г. Казань" not in text.splitlines()


def test_models_of_the_project_fill_the_order():
    # Unsaved instances: the engine reads attributes and needs no database.
    org = Organisation(
        name="МБОУ «Лицей № 2»", short_name="Лицей № 2", inn="1234567890", address="г. Уфа"
    )
    curator = Person(
        last_name="Шевчук", first_name="Любовь", middle_name="Ильинична", gender=Gender.FEMALE
    )
    text = docx_text(render_docx(TEMPLATE, order_context(org=org, curator=curator)))

    assert text.splitlines()[:3] == ["МБОУ «Лицей № 2»", "г. Уфа", "ИНН 1234567890"]
    assert "учебный год Шевчук Любовь Ильиничну, учителя математики." in text
    assert "Куратору программы наставничества Шевчук Л. И.:" in text


def test_people_may_be_mappings():
    curator = {"last_name": "Петрова", "first_name": "Анна", "middle_name": "", "gender": "f"}
    text = docx_text(render_docx(TEMPLATE, order_context(curator=curator)))
    assert "учебный год Петрову Анну, учителя математики." in text


def test_markup_in_values_is_escaped_and_the_document_still_opens():
    hostile = "Школа <b>№ 7</b> & «Ко» </w:t></w:r><w:r><w:t>"
    docx = render_docx(
        TEMPLATE,
        order_context(org=school(name=hostile), place="г. Казань & область\x0b", number="1<2"),
    )

    text = docx_text(docx)  # python-docx parses it, so the XML is well formed
    assert text.splitlines()[0] == hostile
    assert "г. Казань & область" in text.splitlines()
    assert "№ 1<2" in text
    document_xml = zipfile.ZipFile(BytesIO(docx)).read("word/document.xml").decode()
    assert "Школа &lt;b&gt;№\u00a07&lt;/b&gt; &amp; «Ко» &lt;/w:t&gt;" in document_xml


def test_a_missing_value_is_an_error_not_a_blank():
    context = order_context()
    del context["number"]
    with pytest.raises(UndefinedError, match="number"):
        render_docx(TEMPLATE, context)


def test_a_person_without_gender_is_an_error():
    curator = SimpleNamespace(last_name="Петрова", first_name="Анна", middle_name="")
    with pytest.raises(ValueError, match="gender"):
        render_docx(TEMPLATE, order_context(curator=curator))


def test_templates_are_found_by_name_or_path():
    by_name = docx_text(render_docx(TEMPLATE, order_context()))
    by_path = docx_text(render_docx(TEMPLATES_DIR / TEMPLATE, order_context()))
    assert by_name == by_path
    with pytest.raises(FileNotFoundError):
        render_docx("no_such_template.docx", order_context())


# --- Requisites ------------------------------------------------------------------------------


def test_requisites_lines_in_order_without_empty_ones():
    assert requisites(school()) == [
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 7»",
        "420000, г. Казань, ул. Школьная, д. 1",
        "ИНН 1655000000",
        "Тел.: +7 (843) 200-00-00",
        "E-mail: school7@example.ru",
    ]
    assert requisites(school(address="", phone="")) == [
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 7»",
        "ИНН 1655000000",
        "E-mail: school7@example.ru",
    ]


def test_requisites_prefer_a_full_name_attribute():
    org = school(full_name="Полное наименование", name="Краткое")
    assert requisites(org)[0] == "Полное наименование"


# --- The template file -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(build_templates.all_templates()))
def test_committed_template_is_what_the_script_builds(name):
    built = build_templates.all_templates()[name]()
    assert built == build_templates.all_templates()[name](), "the build is not reproducible"
    # Compared entry by entry: another zlib may compress the same bytes differently.
    with zipfile.ZipFile(BytesIO(built)) as fresh, zipfile.ZipFile(TEMPLATES_DIR / name) as kept:
        assert fresh.namelist() == kept.namelist()
        for entry in fresh.namelist():
            assert fresh.read(entry) == kept.read(entry), (
                f"{name}:{entry} differs; run python -m nastavnik.documents.build_templates"
            )


@pytest.mark.parametrize("name", sorted(build_templates.all_templates()))
def test_template_keeps_only_the_styles_it_uses(name):
    with zipfile.ZipFile(TEMPLATES_DIR / name) as kept:
        assert "word/stylesWithEffects.xml" not in kept.namelist()
    document = Document(str(TEMPLATES_DIR / name))
    styles = document.styles.element
    assert styles.find(qn("w:latentStyles")) is None
    body = document.element.body
    used = set(body.xpath(".//w:pStyle/@w:val|.//w:rStyle/@w:val|.//w:tblStyle/@w:val"))
    ids = set(styles.xpath("w:style/@w:styleId"))
    assert used <= ids, "a style the template uses was dropped"
    # python-docx's blank has 164: what is left is in use, a default, or what those build on.
    assert len(ids) <= 12
    # What every document made from it and every order's appendix is matched against.
    assert {"Normal", "TableNormal", "DefaultParagraphFont", "NoList"} <= ids


def test_a_documents_default_style_is_there_for_what_code_adds():
    # Code adds paragraphs to rendered templates (an appendix heading) in the default style.
    document = Document(str(TEMPLATES_DIR / TEMPLATE))
    document.add_paragraph("Приложение № 1")
    assert document.paragraphs[-1].style.name == "Normal"


def test_template_page_and_font_follow_russian_orders():
    document = Document(str(TEMPLATES_DIR / TEMPLATE))
    section = document.sections[0]
    # Word stores lengths in twentieths of a point, so millimetres come back rounded.
    sizes = [section.page_width, section.page_height, section.left_margin, section.right_margin]
    sizes += [section.top_margin, section.bottom_margin]
    assert [round(length.mm, 1) for length in sizes] == [210, 297, 30, 15, 20, 20]

    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:cs")} == {"Times New Roman"}
    size = defaults.find(qn("w:rPr")).find(qn("w:sz"))
    assert int(size.get(qn("w:val"))) == 28  # half-points: 14 pt
    letterhead = [p for p in document.paragraphs if p.text in ("{{ header[0] }}", "{{ line }}")]
    assert len(letterhead) == 2
    assert {r.font.size for p in letterhead for r in p.runs} == {Pt(12)}


# --- PDF -------------------------------------------------------------------------------------


def test_missing_soffice_is_a_clear_error(settings, tmp_path):
    settings.SOFFICE_PATH = str(tmp_path / "no-soffice")
    with pytest.raises(PdfConverterMissing, match="libreoffice-writer-nogui"):
        docx_to_pdf(b"PK")


def fake_soffice(tmp_path, body):
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return str(script)


def test_a_hanging_soffice_is_killed_after_the_timeout(settings, tmp_path):
    settings.SOFFICE_PATH = fake_soffice(tmp_path, "sleep 30")
    with pytest.raises(PdfConversionError, match="longer than"):
        docx_to_pdf(b"PK", timeout=0.5)


def test_a_failing_soffice_reports_what_it_said(settings, tmp_path):
    settings.SOFFICE_PATH = fake_soffice(
        tmp_path, "echo 'source file could not be loaded' >&2; exit 1"
    )
    with pytest.raises(PdfConversionError, match="could not be loaded"):
        docx_to_pdf(b"PK")


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_order_converts_to_pdf_that_reads_as_the_order():
    pdf = docx_to_pdf(render_docx(TEMPLATE, order_context()))

    assert pdf.startswith(b"%PDF-")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return
    text = flat(
        subprocess.run(
            [pdftotext, "-enc", "UTF-8", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode()
    )
    assert "ПРИКАЗ" in text
    assert "«17» января 2023 г." in text
    assert "Петрову Анну Сергеевну, учителя математики" in text
    assert "Куратору программы наставничества Петровой А. С.:" in text
    assert "Контроль за исполнением приказа оставляю за собой." in text
