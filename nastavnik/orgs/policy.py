"""Which role may do what. The one place for this rule: views ask `allows`, never a role."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from nastavnik.orgs.models import Role


class Perm(StrEnum):
    DASHBOARD = "dashboard.view"
    PEOPLE_VIEW = "people.view"
    PEOPLE_EDIT = "people.edit"
    PEOPLE_IMPORT = "people.import"
    PEOPLE_EXPORT = "people.export"
    CATALOGUE_VIEW = "catalogue.view"
    CATALOGUE_EDIT = "catalogue.edit"
    MEMBERS_VIEW = "members.view"
    MEMBERS_MANAGE = "members.manage"
    ORGANISATION_EDIT = "organisation.edit"
    CONSENTS_VIEW = "consents.view"
    CONSENTS_MANAGE = "consents.manage"
    # Withdrawing the consents one gave oneself or for one's child, in one's cabinet.
    CONSENTS_OWN = "consents.own"
    # Downloading what the system holds about oneself (152-ФЗ art. 14), in one's cabinet.
    DATA_OWN = "data.own"
    AUDIT_VIEW = "audit.view"
    PROGRAMME_VIEW = "programme.view"
    PROGRAMME_EDIT = "programme.edit"
    ORDERS_VIEW = "orders.view"
    ORDER_EDIT = "orders.edit"
    ORDER_SIGN = "orders.sign"
    # Questionnaire templates and survey campaigns (stages 2-5, monitoring).
    QUESTIONNAIRES_VIEW = "questionnaires.view"
    QUESTIONNAIRES_EDIT = "questionnaires.edit"
    CAMPAIGNS_MANAGE = "campaigns.manage"
    # The mentee base (stage 2).
    MENTEES_VIEW = "mentees.view"
    MENTEES_EDIT = "mentees.edit"
    # Class teachers, psychologists, social pedagogues add what they know about a mentee.
    MENTEE_INPUT = "mentees.input"
    # Entry and exit measures of participants.
    ASSESSMENT_EDIT = "assessment.edit"
    # The mentor base, selection and the mentor school (stages 3-4).
    MENTORS_VIEW = "mentors.view"
    MENTORS_EDIT = "mentors.edit"
    # Scoring candidates: only members of the programme's commission, checked by the view.
    SELECTION_SCORE = "selection.score"
    SELECTION_MANAGE = "selection.manage"
    TRAINING_MANAGE = "training.manage"
    # Matching runs and confirming pairs (stage 5); the pairs and groups at work (stage 6).
    MATCHING_RUN = "matching.run"
    MENTORSHIPS_VIEW = "mentorships.view"
    MENTORSHIPS_MANAGE = "mentorships.manage"
    # A mentor's own portfolio, in the mentor's cabinet.
    PORTFOLIO_OWN = "portfolio.own"
    # A mentor answers the other organisations' requests to mentor there (the shared base).
    OFFERS_OWN = "offers.own"
    # The work of a pair or group (plan, meetings, feedback): those who run the programme see
    # every pair, a mentor or a mentee only their own (`mentorships.access.workable`).
    PAIR_WORK = "pairs.work"
    # A guardian's cabinet: the participation of one's own children.
    CHILDREN_OWN = "children.own"
    # Awards of the year (stage 7): nominations and winners; jury members score nominees.
    AWARDS_MANAGE = "awards.manage"
    AWARDS_SCORE = "awards.score"
    # The library of best-practice cases.
    CASES_VIEW = "cases.view"
    CASES_MANAGE = "cases.manage"
    # What the organisation's public mentoring page shows besides the registry.
    PUBLIC_PAGE_EDIT = "public_page.edit"
    # Monitoring (stage 1 quality, stage 2 impact) and the indicators of the year.
    MONITORING_VIEW = "monitoring.view"
    MONITORING_EDIT = "monitoring.edit"
    # The safeguarding channel: a mentee, a guardian or a mentor raises a concern about their
    # own pair; the curator and the director handle it; a psychologist reads those shared with
    # them. `concerns.access` narrows further: nobody reads a concern about themselves.
    CONCERNS_RAISE = "concerns.raise"
    CONCERNS_HANDLE = "concerns.handle"
    CONCERNS_READ = "concerns.read"
    # The compliance view: every rule of the regulation the data break now, with names of
    # people (minors without consent, mentors without documents), so those who run it only.
    COMPLIANCE_VIEW = "compliance.view"
    # Personal access tokens for the REST API: a token never does more than its owner's roles.
    API_TOKENS = "api.tokens"


# Rights over one's own data only: they give no power over anyone else, so they never stop a
# curator from assigning a role that carries them.
OWN_DATA = frozenset(
    {
        Perm.CONSENTS_OWN,
        Perm.DATA_OWN,
        Perm.PORTFOLIO_OWN,
        Perm.OFFERS_OWN,
        Perm.CHILDREN_OWN,
        Perm.CONCERNS_RAISE,
    }
)

# Answering requests to mentor elsewhere is everyone's own: a curator or a teacher of any role
# may be in the mentor base, and the page shows only the requests to oneself.
_EVERY_ROLE = frozenset({Perm.DASHBOARD, Perm.CONSENTS_OWN, Perm.DATA_OWN, Perm.OFFERS_OWN})
_STAFF_READ = frozenset({Perm.PEOPLE_VIEW, Perm.CATALOGUE_VIEW})
_RUNS_PROGRAMME = _STAFF_READ | {
    Perm.PEOPLE_EDIT,
    # Bulk import and export of personal data: those answerable for the bases only.
    Perm.PEOPLE_IMPORT,
    Perm.PEOPLE_EXPORT,
    Perm.CATALOGUE_EDIT,
    Perm.MEMBERS_VIEW,
    Perm.MEMBERS_MANAGE,
    Perm.CONSENTS_VIEW,
    Perm.CONSENTS_MANAGE,
    Perm.AUDIT_VIEW,
    Perm.PROGRAMME_VIEW,
    Perm.PROGRAMME_EDIT,
    Perm.ORDERS_VIEW,
    Perm.ORDER_EDIT,
    Perm.QUESTIONNAIRES_VIEW,
    Perm.QUESTIONNAIRES_EDIT,
    Perm.CAMPAIGNS_MANAGE,
    Perm.MENTEES_VIEW,
    Perm.MENTEES_EDIT,
    Perm.MENTEE_INPUT,
    Perm.ASSESSMENT_EDIT,
    Perm.MENTORS_VIEW,
    Perm.MENTORS_EDIT,
    Perm.SELECTION_SCORE,
    Perm.SELECTION_MANAGE,
    Perm.TRAINING_MANAGE,
    Perm.MATCHING_RUN,
    Perm.MENTORSHIPS_VIEW,
    Perm.MENTORSHIPS_MANAGE,
    Perm.PAIR_WORK,
    Perm.AWARDS_MANAGE,
    Perm.AWARDS_SCORE,
    Perm.CASES_VIEW,
    Perm.CASES_MANAGE,
    Perm.PUBLIC_PAGE_EDIT,
    Perm.MONITORING_VIEW,
    Perm.MONITORING_EDIT,
    Perm.COMPLIANCE_VIEW,
    Perm.API_TOKENS,
}

GRANTS: dict[Role, frozenset[Perm]] = {
    # Orders are signed by the head of the organisation only.
    Role.DIRECTOR: _EVERY_ROLE
    | _RUNS_PROGRAMME
    | {Perm.ORGANISATION_EDIT, Perm.ORDER_SIGN, Perm.CONCERNS_READ, Perm.CONCERNS_HANDLE},
    Role.CURATOR: _EVERY_ROLE | _RUNS_PROGRAMME | {Perm.CONCERNS_READ, Perm.CONCERNS_HANDLE},
    # Class teachers, psychologists, social pedagogues read the registry to add their input.
    Role.SPECIALIST: _EVERY_ROLE
    | _STAFF_READ
    | {
        Perm.PROGRAMME_VIEW,
        Perm.MENTEES_VIEW,
        Perm.MENTEE_INPUT,
        Perm.ASSESSMENT_EDIT,
        Perm.CASES_VIEW,
        Perm.MONITORING_VIEW,
        Perm.CONCERNS_READ,
        Perm.API_TOKENS,
    },
    # The commission reads the mentor base and scores the candidates it is asked to.
    Role.COMMISSION_MEMBER: _EVERY_ROLE
    | {
        Perm.CATALOGUE_VIEW,
        Perm.PROGRAMME_VIEW,
        Perm.MENTORS_VIEW,
        Perm.SELECTION_SCORE,
        Perm.AWARDS_SCORE,
    },
    Role.MENTOR: _EVERY_ROLE
    | {
        Perm.CATALOGUE_VIEW,
        Perm.PROGRAMME_VIEW,
        Perm.PORTFOLIO_OWN,
        Perm.PAIR_WORK,
        Perm.CASES_VIEW,
        Perm.CONCERNS_RAISE,
    },
    Role.MENTEE: _EVERY_ROLE | {Perm.PAIR_WORK, Perm.CONCERNS_RAISE},
    Role.GUARDIAN: _EVERY_ROLE | {Perm.CHILDREN_OWN, Perm.CONCERNS_RAISE},
}


def allows(roles: Iterable[str], perm: Perm) -> bool:
    return any(perm in GRANTS.get(Role(role), frozenset()) for role in roles)


# --- Which fields of a person each role sees (data minimisation, 152-ФЗ art. 5) -----------------


class FieldGroup(StrEnum):
    """The fields of a person, in the groups a role is given or not."""

    IDENTITY = "identity"  # the name, the category, the gender
    BIRTH_DATE = "birth_date"  # and the age made from it
    CONTACTS = "contacts"  # e-mail, phone, the account's address
    SCHOOL = "school"  # class, position, subjects, experience, workplace, graduation year
    FAMILY = "family"  # who is whose legal guardian
    NOTES = "notes"  # the registry's free-text notes


# The person categories (people.models.PersonKind), spelled out: orgs does not import people.
_STUDENT, _STAFF, _PARENT = "student", "staff", "parent"
_EVERY_KIND = frozenset({_STUDENT, _STAFF, _PARENT, "graduate", "external"})
_EVERYTHING = {group: _EVERY_KIND for group in FieldGroup}
_NAMES_ONLY = {FieldGroup.IDENTITY: _EVERY_KIND}

#: The one declaration of who sees what of whom: role → field group → the person categories
#: whose group the role sees. Every page, list and export that shows a person asks
#: `visible_fields`; a role or a group missing here sees nothing of it.
PERSON_FIELDS: dict[Role, dict[FieldGroup, frozenset[str]]] = {
    Role.DIRECTOR: _EVERYTHING,
    Role.CURATOR: _EVERYTHING,
    # A psychologist, class teacher or social pedagogue works with the child: the child's age,
    # class, notes and family (who the guardians are), the colleagues' work contacts — not the
    # parents' contacts or birth dates, nor anybody else's private data.
    Role.SPECIALIST: {
        FieldGroup.IDENTITY: _EVERY_KIND,
        FieldGroup.SCHOOL: _EVERY_KIND,
        FieldGroup.FAMILY: _EVERY_KIND,
        FieldGroup.BIRTH_DATE: frozenset({_STUDENT}),
        FieldGroup.NOTES: frozenset({_STUDENT}),
        FieldGroup.CONTACTS: frozenset({_STAFF}),
    },
    # The commission weighs candidates by what they do, not by who they are at home.
    Role.COMMISSION_MEMBER: {
        FieldGroup.IDENTITY: _EVERY_KIND,
        FieldGroup.SCHOOL: _EVERY_KIND,
    },
    Role.MENTOR: _NAMES_ONLY,
    Role.MENTEE: _NAMES_ONLY,
    Role.GUARDIAN: _NAMES_ONLY,
}


def visible_fields(roles: Iterable[str], person_kind: str) -> frozenset[FieldGroup]:
    """The field groups of a person of `person_kind` that an account with `roles` may see."""
    return frozenset(
        group
        for role in roles
        for group, kinds in PERSON_FIELDS.get(Role(role), {}).items()
        if person_kind in kinds
    )
