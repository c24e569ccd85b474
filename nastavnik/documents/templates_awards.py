"""DOCX templates of the awards app. Built by `python -m nastavnik.documents.build_templates`
(which imports this module last); never import this module on its own.

The diploma, the certificate and the letters share a context (``awards.documents.award_context``):
``org``, ``number``, ``issued_on``, ``academic_year``, ``nomination``, ``place`` and
``place_roman``, ``recipient`` (a person), ``who`` (class or position), ``address`` («Мария
Петровна»), ``is_pair``, ``child`` (the student mentor a parent's letter is about),
``child_word`` («дочери»), ``child_class`` («ученицы 9 «Б» класса»), ``director``,
``director_position``.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from types import ModuleType

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

CENTER = WD_ALIGN_PARAGRAPH.CENTER


def bt() -> ModuleType:
    """The building blocks of `build_templates`, imported when a template is built: that module
    imports this one at its end, whichever way it runs."""
    return import_module("nastavnik.documents.build_templates")


TITLE_SIZE = Pt(36)
NAME_SIZE = Pt(20)


def _award_footer(document: object) -> None:
    """The number in the register and the date, then the director's signature."""
    bt().paragraph(document)
    half = bt().TEXT_WIDTH.mm / 2
    bt().borderless_table(
        document,
        (half, half),
        (("{{ issued_on|date }}", "left"), ("№ {{ number }}", "right")),
    )
    # Not `director_signature`: an organisation without a director's record still gets its
    # letters, with the line left for the name.
    bt().paragraph(document)
    bt().paragraph(document)
    bt().borderless_table(
        document,
        (70, 45, bt().TEXT_WIDTH.mm - 115),
        (
            ("{{ director_position }}", "left"),
            ("____________", "center"),
            ("{% if director %}{{ director|signature }}{% endif %}", "right"),
        ),
    )


def _centred(document: object, text: str, **kwargs: object) -> None:
    bt().paragraph(document, text, align=CENTER, **kwargs)


def _person_block(document: object) -> None:
    _centred(document, "{{ recipient|name }}", bold=True, size=NAME_SIZE)
    bt().tag(document, "if who")
    _centred(document, "{{ who }}")
    bt().tag(document, "endif")


def _diploma(document_title: str, title: str, subtitle: str, lead: str, text: str) -> bytes:
    """A diploma or a certificate: the title and its line, the recipient, and what for."""
    document = bt().new_document(document_title)
    bt().letterhead(document)
    bt().paragraph(document)
    _centred(document, title, bold=True, size=TITLE_SIZE)
    _centred(document, subtitle, bold=True, size=NAME_SIZE)
    bt().paragraph(document)
    _centred(document, lead)
    bt().paragraph(document)
    _person_block(document)
    bt().paragraph(document)
    _centred(document, text)
    _award_footer(document)
    return bt().save_reproducibly(document)


def _thanks_letter(document_title: str, *text: str) -> bytes:
    """A letter of thanks: the title, «Уважаемый …!», and its paragraphs."""
    document = bt().new_document(document_title)
    bt().letterhead(document)
    bt().paragraph(document)
    _centred(document, "БЛАГОДАРСТВЕННОЕ ПИСЬМО", bold=True, size=NAME_SIZE)
    bt().paragraph(document)
    _centred(
        document,
        "{{ recipient|gendered('Уважаемый', 'Уважаемая') }} {{ address }}!",
        bold=True,
    )
    bt().paragraph(document)
    for block in text:
        bt().text_block(document, block)
    _award_footer(document)
    return bt().save_reproducibly(document)


def build_award_diploma() -> bytes:
    """Диплом I (II, III) степени победителю или призёру номинации."""
    return _diploma(
        "Диплом",
        "ДИПЛОМ",
        "{{ place_roman }} степени",
        "награждается",
        "{{ recipient|gendered('занявший', 'занявшая') }} {{ place_roman }} место "
        "в номинации «{{ nomination }}»{% if is_pair %} в составе наставнической пары "
        "(группы){% endif %} по итогам реализации программы наставничества "
        "в {{ academic_year }} учебном году",
    )


def build_award_certificate() -> bytes:
    """Сертификат участника номинации."""
    return _diploma(
        "Сертификат участника",
        "СЕРТИФИКАТ",
        "участника",
        "настоящим подтверждается, что",
        "{{ recipient|gendered('принимал', 'принимала') }} участие в номинации "
        "«{{ nomination }}»{% if is_pair %} в составе наставнической пары (группы){% endif %} "
        "по итогам реализации программы наставничества в {{ academic_year }} учебном году",
    )


def build_award_thanks() -> bytes:
    """Благодарственное письмо наставнику."""
    return _thanks_letter(
        "Благодарственное письмо",
        "Администрация {{ org.short_name }} выражает Вам искреннюю благодарность за работу "
        "наставником в {{ academic_year }} учебном году: за время, знания и душевные силы, "
        "которые Вы отдали наставляемым, за терпение, внимание и поддержку.",
        "Благодаря Вам наставляемые стали увереннее в себе, открыли новые возможности и "
        "достигли результатов, которыми можно гордиться. Желаем Вам здоровья, вдохновения и "
        "новых успехов!",
    )


def build_award_parent_thanks() -> bytes:
    """Благодарственное письмо родителю (законному представителю) наставника из числа
    обучающихся (seed 002 §8.1)."""
    return _thanks_letter(
        "Благодарственное письмо родителям",
        "Администрация {{ org.short_name }} выражает Вам искреннюю благодарность за воспитание "
        "{{ child_word }} — {{ child|genitive }}"
        "{% if child_class %}, {{ child_class }}{% endif %}, "
        "{{ child|gendered('который', 'которая') }} в {{ academic_year }} учебном году "
        "{{ child|gendered('стал', 'стала') }} наставником для других обучающихся в рамках "
        "программы наставничества.",
        "Ответственность, доброта и готовность помогать другим, которые "
        "{{ child|gendered('Ваш сын проявил', 'Ваша дочь проявила') }} в наставничестве, — "
        "заслуга Вашей семьи. Спасибо Вам за воспитание достойного человека!",
    )


def build_order_awards() -> bytes:
    """Приказ «О награждении по итогам реализации программы наставничества» (DESIGN §3 stage 7,
    §6; seed 002 §8.1), with the winners of each nomination in its appendix.

    Context: the common order context (``org``, ``number``, ``date``, ``place``, ``title``,
    ``director``, ``director_position``) and ``academic_year``, ``nominations`` («…», «…»),
    ``nominations_count``,
    ``rows`` (each: ``number``, ``nomination``, ``place`` (roman), ``nominee`` (names with class
    or position)), ``thanks_count``, ``parents_count``, ``curator`` (a person or None).
    """
    document = bt().new_document("Приказ о награждении")
    bt().letterhead(document)
    bt().order_heading(document, "{{ title }}")
    bt().text_block(
        document,
        "В соответствии с " + bt().TARGET_MODEL_REGULATION + ", Положением о наставничестве "
        "{{ org.short_name }}, программой наставничества на {{ academic_year }} учебный год, "
        "на основании решения жюри по "
        "{% if nominations_count == 1 %}номинации{% else %}номинациям{% endif %} {{ nominations }}",
    )
    bt().paragraph(document, "ПРИКАЗЫВАЮ:", keep_with_next=True)
    bt().text_block(
        document,
        "1. Наградить дипломами победителей и призёров по итогам реализации программы "
        "наставничества в {{ academic_year }} учебном году согласно приложению к настоящему "
        "приказу.",
    )
    bt().tag(document, "if thanks_count")
    bt().text_block(
        document,
        "2. Объявить благодарность наставникам, принявшим участие в номинациях, и вручить им "
        "благодарственные письма ({{ thanks_count }} чел.)"
        "{% if parents_count %}; вручить благодарственные письма родителям (законным "
        "представителям) наставников из числа обучающихся ({{ parents_count }} чел.){% endif %}.",
    )
    bt().tag(document, "endif")
    bt().text_block(
        document,
        "{% if thanks_count %}3{% else %}2{% endif %}. Куратору программы наставничества"
        "{% if curator %} {{ curator|initials('dative') }}{% endif %} организовать вручение "
        "наград на итоговом мероприятии и разместить информацию о награждении на официальном "
        "сайте {{ org.short_name }}.",
    )
    bt().text_block(
        document,
        "{% if thanks_count %}4{% else %}3{% endif %}. Контроль за исполнением приказа "
        "оставляю за собой.",
    )
    bt().director_signature(document)

    bt().appendix_heading(
        document,
        "ПОБЕДИТЕЛИ И ПРИЗЁРЫ",
        "по итогам реализации программы наставничества в {{ academic_year }} учебном году",
    )
    bt().grid_table(
        document,
        (10, 45, 20, bt().TEXT_WIDTH.mm - 75),
        ("№ п/п", "Номинация", "Место", "Награждаемый"),
        (
            ("{%tr for row in rows %}",),
            ("{{ row.number }}", "{{ row.nomination }}", "{{ row.place }}", "{{ row.nominee }}"),
            ("{%tr endfor %}",),
        ),
    )
    return bt().save_reproducibly(document)


TEMPLATES: dict[str, Callable[[], bytes]] = {
    "award_diploma.docx": build_award_diploma,
    "award_certificate.docx": build_award_certificate,
    "award_thanks.docx": build_award_thanks,
    "award_parent_thanks.docx": build_award_parent_thanks,
    "order_awards.docx": build_order_awards,
}
