"""Stage 7: the awards of the year closed.

When the previous programme year is in the demo (`last_year.py` runs first), it gets the three
nominations of the regulation with nominees from its mentors and completed pairs, the jury's
scores, the winners with their diplomas, certificates and letters of thanks (to the parents of
student mentors too), and a signed awards order of late May. Otherwise the current programme
gets the nominations, a jury and nominees, still to be scored. Everything goes through the
awards services; only the dates are set back to May afterwards, as the services date a
decision today. No diploma is rendered here: they are made when downloaded.
"""

from __future__ import annotations

import logging
import random
from dataclasses import replace
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from nastavnik.accounts.models import User
from nastavnik.awards import services
from nastavnik.awards.models import Award, Nomination, Nominee
from nastavnik.catalogue.profile import MentorCategory
from nastavnik.demo.programme import _scan
from nastavnik.mentors.models import INACTIVE_STATUSES, Mentor
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.orders.services import order_defaults, order_sign
from nastavnik.people.models import GuardianLink, Person
from nastavnik.programmes.models import Programme

logger = logging.getLogger(__name__)

SEED = 20260525
MERITS = (
    "Наставляемые стали призёрами муниципального этапа всероссийской олимпиады школьников.",
    "Успеваемость наставляемых выросла на балл за полугодие; ни одного пропуска встреч.",
    "Организация проектной мастерской для пятиклассников, три проекта защищены на НПК.",
    "Молодой педагог прошёл аттестацию и провёл открытый урок для коллег района.",
    "Наставляемые вошли в актив школьного самоуправления и волонтёрского отряда.",
)


def _jury(accounts: dict[str, Person]) -> list[User]:
    return [
        accounts[key].user
        for key in ("director", "curator", "commission")
        if key in accounts and accounts[key].user_id
    ]


def _try(write: object) -> Nominee | None:
    """A nominee the rules refuse (a withdrawn consent, say) is left out of the demo."""
    try:
        return write()  # type: ignore[operator]
    except ValidationError:
        return None


def _nominate(programme: Programme, jury: list[User], rng: random.Random) -> list[Nomination]:
    services.builtin_nominations_create(programme, by=jury[1])
    nominations = {n.code: n for n in Nomination.objects.filter(programme=programme)}
    for nomination in nominations.values():
        services.jury_set(nomination, jury, by=jury[1])

    mentors = list(
        Mentor.objects.filter(programme=programme)
        .exclude(status__in=INACTIVE_STATUSES)
        .select_related("person")
        .order_by("person__name_key", "pk")
    )
    with_parents = set(
        GuardianLink.objects.filter(child__in=[m.person_id for m in mentors]).values_list(
            "child", flat=True
        )
    )
    staff = [m for m in mentors if m.category == MentorCategory.STAFF][:3]
    students = [
        m for m in mentors if m.category == MentorCategory.STUDENT and m.person_id in with_parents
    ][:2]
    for mentor in staff + students:
        _try(
            lambda m=mentor: services.nominee_add(
                nominations["mentor_of_the_year"], mentor=m, merits=rng.choice(MERITS), by=jury[1]
            )
        )

    pairs = list(
        Mentorship.objects.filter(programme=programme)
        .exclude(status=MentorshipStatus.TERMINATED)
        .order_by("pk")[:4]
    )
    for pair in pairs:
        _try(
            lambda p=pair: services.nominee_add(
                nominations["best_pair"], mentorship=p, merits=rng.choice(MERITS), by=jury[1]
            )
        )

    # Parents, graduates and partners first: «Наставник+» is about going beyond the school.
    others = [
        m.person
        for m in sorted(mentors, key=lambda m: m.category == MentorCategory.STUDENT)
        if m.category != MentorCategory.STAFF
    ]
    others = [p for p in others if p.pk not in {s.person_id for s in students}][:3]
    for person in others:
        _try(
            lambda p=person: services.nominee_add(
                nominations["mentor_plus"],
                person=p,
                merits="Помощь в организации итогового мероприятия и профориентационных встреч.",
                by=jury[1],
            )
        )
    return list(nominations.values())


def _score_and_decide(nominations: list[Nomination], jury: list[User], rng: random.Random) -> None:
    for nomination in nominations:
        nominees = list(nomination.nominees.order_by("pk"))
        if not nominees:
            continue
        for nominee in nominees:
            strength = rng.randint(6, 9)
            for user in jury:
                value = max(1, min(10, strength + rng.choice((-1, 0, 0, 1))))
                try:
                    services.score_save(nominee, user, value, "", by=user)
                except ValidationError:
                    continue  # a juror does not score a nomination of their own
        if any(r.count >= services.QUORUM for r in services.results(nomination)):
            services.nomination_decide(nomination, prizes=3, tie="shared", by=jury[0])


def build_awards(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    jury = _jury(accounts)
    if len(jury) < 3:
        return
    rng = random.Random(SEED)
    previous = (
        Programme.objects.filter(
            organisation=programme.organisation,
            academic_year__start_year=programme.academic_year.start_year - 1,
        )
        .select_related("academic_year", "organisation")
        .first()
    )
    if previous is None:
        _nominate(programme, jury, rng)
        logger.info("demo: nominations of %s opened", programme.academic_year.label)
        return

    nominations = _nominate(previous, jury, rng)
    _score_and_decide(nominations, jury, rng)
    # The jury met and the winners were awarded at the final event of late May.
    decided_on = date(previous.academic_year.start_year + 1, 5, 25)
    Nomination.objects.filter(programme=previous, decided_on__isnull=False).update(
        decided_on=decided_on
    )
    Award.objects.filter(programme=previous).update(issued_on=decided_on)
    try:
        # The book of orders counts by calendar year: in May it stood in the thirties, below
        # the autumn's orders of the current year that the demo has already written.
        details = replace(order_defaults(previous.organisation, decided_on), number="32-о")
        order = services.awards_order_create(previous, details, by=jury[1])
    except ValidationError:
        logger.info("demo: no winners in %s, no awards order", previous.academic_year.label)
        return
    order_sign(order, ContentFile(_scan(), name="scan.pdf"), by=jury[0])
    logger.info(
        "demo: awards of %s: %s documents, order %s",
        previous.academic_year.label,
        Award.objects.filter(programme=previous).count(),
        order.number,
    )
