"""The demo's consents: most students covered by a guardian's consent (on paper or through a
one-time link), some missing or partial, one withdrawn; the demo guardian's own consents for
the demo mentee; a few mentors' own consents.

Rows go in with bulk_create for speed, built by `consent_row` (the texts of the current
document version) from data that satisfy the rules the services check: a guardian signs for a
minor, from 14 the minor signs too, an adult signs for themselves, one valid consent a purpose.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from nastavnik.accounts.models import User
from nastavnik.consents.models import Consent, Method, Purpose
from nastavnik.consents.rules import signing_for
from nastavnik.consents.services import consent_row, default_valid_until
from nastavnik.orgs.models import AcademicYear, Organisation
from nastavnik.people.models import GuardianRelation, Person, PersonKind

SEED = 20250902
# Shares of students: no consent at all, only the processing consent, everything plus
# publication on the site.
MISSING, PARTIAL, WITH_PUBLICATION = 0.12, 0.04, 0.25
ELECTRONIC_SHARE = 0.35
RELATION_ORDER: dict[str, int] = {
    GuardianRelation.MOTHER: 0,
    GuardianRelation.FATHER: 1,
    GuardianRelation.GUARDIAN: 2,
    GuardianRelation.TRUSTEE: 3,
    GuardianRelation.OTHER: 4,
}


def _authority(relation: str, child: Person, rng: random.Random) -> str:
    if relation in (GuardianRelation.MOTHER, GuardianRelation.FATHER):
        issued = child.birth_date + timedelta(days=rng.randint(5, 25))  # type: ignore[operator]
        return (
            f"свидетельство о рождении IV-АИ № {rng.randint(500000, 999999)} от {issued:%d.%m.%Y}"
        )
    return (
        "постановление администрации городского округа Первоуральск "
        f"№ {rng.randint(100, 2999)} об установлении опеки"
    )


def own_paper_consent(
    person: Person, purpose: str, given_on: date, valid_until: date, by: User | None
) -> Consent:
    """An unsaved consent an adult signed on paper for themselves, typed in by `by`."""
    return consent_row(
        person,
        purpose,
        person,
        method=Method.PAPER,
        given_on=given_on,
        valid_until=valid_until,
        authority_document="",
        minor_signed=False,
        by=by,
    )


class ConsentBuilder:
    def __init__(
        self,
        organisation: Organisation,
        today: date,
        curator: User | None,
    ) -> None:
        # A string seed is deterministic across runs (unlike hash()).
        self.rng = random.Random(f"{SEED}-{organisation.slug}")
        self.organisation = organisation
        self.today = today
        self.curator = curator
        self.zone = ZoneInfo(organisation.timezone)
        # Consents are collected from late August, for the academic year (and over the last
        # weeks only, later in the year).
        self.year_start = AcademicYear(start_year=AcademicYear.start_year_for(today)).starts_on
        self.start = max(self.year_start - timedelta(days=20), today - timedelta(days=75))
        self.rows: list[Consent] = []

    def _given_on(self) -> date:
        return self.start + timedelta(days=self.rng.randrange((self.today - self.start).days + 1))

    def _moment(self, day: date) -> datetime:
        return datetime.combine(
            day, time(self.rng.randint(8, 20), self.rng.randrange(60)), self.zone
        )

    def give(
        self,
        subject: Person,
        signer: Person,
        purposes: Iterable[Purpose],
        *,
        relation: str = "",
        electronic: bool | None = None,
        given_on: date | None = None,
    ) -> None:
        day = given_on or self._given_on()
        signing = signing_for(subject, day)
        if electronic is None:
            electronic = self.rng.random() < ELECTRONIC_SHARE
        authority = _authority(relation, subject, self.rng) if signing.minor else ""
        evidence = (
            {
                "signed_name": signer.full_name,
                "minor_signed_name": subject.full_name if signing.minor_signs else "",
                # TEST-NET addresses (RFC 5737): nobody's real address.
                "signed_ip": f"192.0.2.{self.rng.randint(1, 254)}",
                "signed_user_agent": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36",
            }
            if electronic
            else {}
        )
        for purpose in purposes:
            row = consent_row(
                subject,
                purpose,
                signer,
                method=Method.ELECTRONIC if electronic else Method.PAPER,
                given_on=day,
                valid_until=default_valid_until(subject, max(day, self.year_start)),
                authority_document=authority,
                minor_signed=signing.minor_signs,
                by=None if electronic else self.curator,
                **evidence,
            )
            row.recorded_at = self._moment(day)
            self.rows.append(row)

    def student(self, child: Person, guardians: list[tuple[Person, str]]) -> None:
        roll = self.rng.random()
        if roll < MISSING:
            return
        purposes = [Purpose.PROCESSING]
        if roll >= MISSING + PARTIAL:
            purposes.append(Purpose.PARTICIPATION)
        if roll >= 1 - WITH_PUBLICATION:
            purposes.append(Purpose.PUBLICATION)
        day = self._given_on()
        if signing_for(child, day).minor:
            if not guardians:
                return
            signer, relation = guardians[0]
            self.give(child, signer, purposes, relation=relation, given_on=day)
        else:
            self.give(child, child, purposes, given_on=day)


def build_consents(
    organisation: Organisation,
    people: list[Person],
    links: Iterable[tuple[Person, Person, str]],
    *,
    today: date,
    curator: User | None,
    mentee: Person | None = None,
    guardian: Person | None = None,
    mentors: Iterable[Person] = (),
) -> list[Consent]:
    builder = ConsentBuilder(organisation, today, curator)
    guardians: dict[int, list[tuple[Person, str]]] = {}
    for parent, child, relation in links:
        guardians.setdefault(child.pk, []).append((parent, relation))
    for entries in guardians.values():
        entries.sort(key=lambda entry: RELATION_ORDER.get(entry[1], 9))

    for child in people:
        if child.kind != PersonKind.STUDENT or child is mentee:
            continue
        builder.student(child, guardians.get(child.pk, []))
    if mentee is not None and guardian is not None:
        # The demo guardian confirmed through a one-time link: her dashboard lists these.
        relation = next(r for g, r in guardians.get(mentee.pk, []) if g is guardian)
        builder.give(
            mentee,
            guardian,
            (Purpose.PROCESSING, Purpose.PARTICIPATION),
            relation=relation,
            electronic=True,
        )
    for mentor in mentors:
        builder.give(
            mentor,
            mentor,
            (Purpose.PROCESSING, Purpose.PARTICIPATION, Purpose.PUBLICATION, Purpose.SHARING),
            electronic=False,
        )
    withdrawn = _withdraw_one(builder, mentee)
    Consent.objects.bulk_create(builder.rows, batch_size=500)
    return withdrawn


def _withdraw_one(builder: ConsentBuilder, keep: Person | None) -> list[Consent]:
    """One family withdrew the processing consent a few days ago (still in the retention
    term): the child's data are hidden but not yet depersonalised."""
    for row in builder.rows:
        if (
            row.purpose == Purpose.PROCESSING
            and row.subject is not keep
            and row.given_by is not row.subject
            and row.given_on <= builder.today - timedelta(days=5)
        ):
            row.withdrawn_at = builder._moment(builder.today - timedelta(days=3))
            row.withdrawal_reason = (
                "Письменное заявление законного представителя об отзыве согласия."
            )
            row.withdrawn_by = builder.curator
            return [row]
    return []
