"""The documents of the awards: a winner's diploma, a participant's certificate, letters of
thanks to mentors and to the parents of student mentors (templates in
``documents/templates_awards.py``), and the awards order (named in `orders.kinds`)."""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any

from nastavnik.awards.models import Award, AwardKind, Nomination, Nominee
from nastavnik.awards.services import nominee_people
from nastavnik.core.text import file_name
from nastavnik.documents.render import docx_to_pdf, render_docx
from nastavnik.orders.documents import lower_first
from nastavnik.orders.models import Order
from nastavnik.orders.services import default_signatory
from nastavnik.people.models import GuardianLink, GuardianRelation, Person
from nastavnik.programmes.services import programme_of_order

TEMPLATES: dict[str, str] = {
    AwardKind.DIPLOMA: "award_diploma.docx",
    AwardKind.CERTIFICATE: "award_certificate.docx",
    AwardKind.THANKS: "award_thanks.docx",
    AwardKind.PARENT_THANKS: "award_parent_thanks.docx",
}

ROMAN = {1: "I", 2: "II", 3: "III"}

# Russian content of the documents, not interface text.
FILE_NAMES: dict[str, str] = {
    AwardKind.DIPLOMA: "Диплом",
    AwardKind.CERTIFICATE: "Сертификат",
    AwardKind.THANKS: "Благодарственное письмо",
    AwardKind.PARENT_THANKS: "Благодарственное письмо родителям",
}


def class_words(person: Person, case: str = "nominative") -> str:
    """«ученица 9 «Б» класса» (or, in the genitive, «ученицы 9 «Б» класса»); empty for anyone
    without a class."""
    if not person.grade:
        return ""
    female = person.gender == "f"
    word = {
        ("nominative", False): "ученик",
        ("nominative", True): "ученица",
        ("genitive", False): "ученика",
        ("genitive", True): "ученицы",
    }[(case, female)]
    letter = f" «{person.class_letter}»" if person.class_letter else ""
    return f"{word} {person.grade}{letter} класса"


def who_line(person: Person) -> str:
    """Under the name on a diploma: the class of a student, the position of an adult."""
    if person.grade:
        return class_words(person)
    return lower_first(person.position) if person.position else ""


def _child_word(award: Award) -> str:
    """«сына»/«дочери» for a parent, «воспитанника»/«воспитанницы» for another guardian."""
    child = award.child
    relation = (
        GuardianLink.objects.filter(guardian=award.recipient, child=child)
        .values_list("relation", flat=True)
        .first()
    )
    female = child is not None and child.gender == "f"
    if relation in (GuardianRelation.MOTHER, GuardianRelation.FATHER):
        return "дочери" if female else "сына"
    return "воспитанницы" if female else "воспитанника"


def award_context(award: Award) -> dict[str, Any]:
    nominee = award.nominee
    nomination = nominee.nomination
    programme = award.programme
    organisation = programme.organisation
    director = default_signatory(organisation)
    recipient = award.recipient
    context: dict[str, Any] = {
        "org": organisation,
        "number": award.number,
        "issued_on": award.issued_on,
        "academic_year": programme.academic_year.label,
        "nomination": nomination.name,
        "place": nominee.place,
        "place_roman": ROMAN.get(nominee.place or 0, ""),
        "recipient": recipient,
        "who": who_line(recipient),
        "address": " ".join(p for p in (recipient.first_name, recipient.middle_name) if p),
        "is_pair": nominee.mentorship_id is not None,
        "director": director,
        "director_position": (director.position if director else "") or "Директор",
        "child": award.child,
        "child_word": "",
        "child_class": "",
    }
    if award.child is not None:
        context["child_word"] = _child_word(award)
        context["child_class"] = class_words(award.child, "genitive")
    return context


def award_docx(award: Award) -> bytes:
    return render_docx(TEMPLATES[award.kind], award_context(award))


def award_pdf(award: Award) -> bytes:
    return docx_to_pdf(award_docx(award))


def award_file_name(award: Award, extension: str) -> str:
    person = award.recipient
    stem = f"{award.number:03d} {FILE_NAMES[award.kind]} — {person.short_name}"
    return file_name(stem, extension)


def with_details(awards: Any) -> Any:
    return awards.select_related(
        "recipient",
        "child",
        "nominee__nomination",
        "programme__academic_year",
        "programme__organisation",
    )


def awards_zip(awards: Any) -> bytes:
    """Every document as DOCX in one archive, numbered as the register numbers them."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for award in with_details(awards).order_by("number"):
            archive.writestr(award_file_name(award, "docx"), award_docx(award))
    return out.getvalue()


# --- The awards order ----------------------------------------------------------------------------


def _nominee_line(nominee: Nominee) -> str:
    people = nominee_people(nominee)
    lines = []
    for person in people:
        who = who_line(person)
        lines.append(f"{person.full_name}, {who}" if who else person.full_name)
    if nominee.mentorship_id:
        if len(people) > 2:
            mentees = "наставляемые"
        else:
            mentees = "наставляемая" if people[1].gender == "f" else "наставляемый"
        return f"наставник {lines[0]}; {mentees}: " + "; ".join(lines[1:])
    return lines[0]


def awards_order_context(order: Order) -> dict[str, Any]:
    programme = programme_of_order(order)
    nominations = list(
        Nomination.objects.filter(
            organisation=order.organisation, pk__in=order.subject_pks(Nomination)
        ).order_by("pk")
    )
    rows: list[dict[str, Any]] = []
    for nomination in nominations:
        winners = (
            Nominee.objects.filter(nomination=nomination, place__isnull=False)
            .select_related("mentor__person", "mentorship__mentor__person", "person")
            .prefetch_related("mentorship__members__mentee__person")
            .order_by("place", "pk")
        )
        for nominee in winners:
            # The query keeps the placed nominees only.
            assert nominee.place is not None
            rows.append(
                {
                    "number": len(rows) + 1,
                    "nomination": nomination.name,
                    "place": ROMAN[nominee.place],
                    "nominee": _nominee_line(nominee),
                }
            )
    parents = Award.objects.filter(programme=programme, kind=AwardKind.PARENT_THANKS).count()
    thanks = Award.objects.filter(programme=programme, kind=AwardKind.THANKS).count()
    curator = programme.curator
    return {
        "academic_year": programme.academic_year.label,
        "nominations": ", ".join(f"«{n.name}»" for n in nominations),
        "nominations_count": len(nominations),
        "rows": rows,
        "thanks_count": thanks,
        "parents_count": parents,
        "curator": curator,
    }
