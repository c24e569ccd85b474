"""The navigation, built around the seven stages of a programme (seeds 002 §2.9, 003, 004).

Each item names a URL and the permission it needs; a stage lists only what exists and what
the user may open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nastavnik.core.access import OrgContext
from nastavnik.orgs.models import Role
from nastavnik.orgs.policy import Perm


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    perm: Perm
    query: str = ""
    # Personal cabinets: shown to those who hold the role, not to everyone with the right.
    role: Role | None = None

    def shown_to(self, ctx: OrgContext) -> bool:
        return ctx.can(self.perm) and (self.role is None or ctx.has_role(self.role))

    def href(self, org_slug: str) -> str:
        url = reverse(self.url_name, kwargs={"org_slug": org_slug})
        return f"{url}?{self.query}" if self.query else url


@dataclass(frozen=True)
class Stage:
    number: int
    title: str | Promise
    summary: str | Promise
    items: tuple[NavItem, ...] = field(default_factory=tuple)


STAGES: tuple[Stage, ...] = (
    Stage(
        1,
        _("Preparing the launch"),
        _("Forms and role models of the year, the curator and the team, the roadmap."),
        (
            NavItem(_("Programme of the year"), "programmes:current", Perm.PROGRAMME_VIEW),
            NavItem(
                _("Where the programme stands"), "programmes:current_stages", Perm.PROGRAMME_VIEW
            ),
            NavItem(_("Roadmap"), "programmes:current_roadmap", Perm.PROGRAMME_VIEW),
            NavItem(_("Compliance with the regulation"), "compliance:index", Perm.COMPLIANCE_VIEW),
            NavItem(_("Orders"), "orders:list", Perm.ORDERS_VIEW),
            NavItem(_("Forms and role models"), "catalogue:forms", Perm.CATALOGUE_VIEW),
        ),
    ),
    Stage(
        2,
        _("Mentee base"),
        _("Informing, applications, consents, third-party input, entry assessment."),
        (
            NavItem(_("Mentee base"), "mentees:list", Perm.MENTEES_VIEW),
            NavItem(
                _("Questionnaire campaigns"), "questionnaires:campaigns", Perm.CAMPAIGNS_MANAGE
            ),
            NavItem(_("Questionnaires"), "questionnaires:list", Perm.QUESTIONNAIRES_VIEW),
            NavItem(_("Entry and exit assessment"), "assessments:list", Perm.MENTEES_VIEW),
            NavItem(_("Students"), "people:list", Perm.PEOPLE_VIEW, "kind=student"),
            NavItem(_("Parents and guardians"), "people:list", Perm.PEOPLE_VIEW, "kind=parent"),
            NavItem(_("Consents"), "consents:register", Perm.CONSENTS_VIEW),
        ),
    ),
    Stage(
        3,
        _("Mentor base"),
        _("Questionnaires of potential mentors: students, staff, parents, graduates, partners."),
        (
            NavItem(_("Mentor base"), "mentors:list", Perm.MENTORS_VIEW),
            NavItem(_("Staff"), "people:list", Perm.PEOPLE_VIEW, "kind=staff"),
            NavItem(_("Graduates"), "people:list", Perm.PEOPLE_VIEW, "kind=graduate"),
            NavItem(_("External people"), "people:list", Perm.PEOPLE_VIEW, "kind=external"),
        ),
    ),
    Stage(
        4,
        _("Selecting and training mentors"),
        _("Selection criteria, interviews, the commission, the mentor school, the registry."),
        (
            NavItem(_("Selection by the commission"), "mentors:selection", Perm.SELECTION_SCORE),
            NavItem(_("Mentor school"), "mentors:training", Perm.MENTORS_VIEW),
            NavItem(_("Mentor registry"), "mentors:registry", Perm.MENTORS_VIEW),
            NavItem(_("My portfolio"), "mentors:my_portfolio", Perm.PORTFOLIO_OWN),
        ),
    ),
    Stage(
        5,
        _("Forming pairs and groups"),
        _("A group meeting, preferences, matching, the order fixing the pairs."),
        (
            NavItem(_("Matching"), "matching:index", Perm.MATCHING_RUN),
            NavItem(_("Mentors of other organisations"), "matching:shared", Perm.MATCHING_RUN),
            NavItem(
                _("Requests to mentor elsewhere"),
                "matching:my_offers",
                Perm.OFFERS_OWN,
                role=Role.MENTOR,
            ),
            NavItem(_("Pairs and groups"), "mentorships:list", Perm.MENTORSHIPS_VIEW),
        ),
    ),
    Stage(
        6,
        _("Work of pairs and groups"),
        _("Individual development plans, meetings, feedback."),
        (
            NavItem(_("My pairs and groups"), "cabinets:mentor", Perm.PAIR_WORK, role=Role.MENTOR),
            NavItem(_("My mentoring"), "cabinets:mentee", Perm.PAIR_WORK, role=Role.MENTEE),
            NavItem(_("My children in the programme"), "cabinets:guardian", Perm.CHILDREN_OWN),
            NavItem(_("Individual plans"), "plans:overview", Perm.MENTORSHIPS_VIEW),
            NavItem(_("Meetings calendar"), "meetings:calendar", Perm.PAIR_WORK),
        ),
    ),
    Stage(
        7,
        _("Completion"),
        _("Results, final surveys, awards, best practices, monitoring."),
        (
            NavItem(_("Monitoring: quality and impact"), "monitoring:index", Perm.MONITORING_VIEW),
            NavItem(
                _("Indicators and half-year assessment"), "indicators:index", Perm.MONITORING_VIEW
            ),
            NavItem(_("Awards of the year"), "awards:list", Perm.AWARDS_SCORE),
            NavItem(_("Best practices"), "cases:list", Perm.CASES_VIEW),
            NavItem(_("Public mentoring page"), "showcase:settings", Perm.PUBLIC_PAGE_EDIT),
        ),
    ),
)

ORGANISATION_ITEMS: tuple[NavItem, ...] = (
    NavItem(_("People registry"), "people:list", Perm.PEOPLE_VIEW),
    NavItem(_("Members and invitations"), "orgs:members", Perm.MEMBERS_VIEW),
    NavItem(_("Audit log"), "audit:log", Perm.AUDIT_VIEW),
    NavItem(_("Organisation details"), "orgs:settings", Perm.ORGANISATION_EDIT),
    NavItem(_("API tokens"), "api_tokens:list", Perm.API_TOKENS),
)


@dataclass(frozen=True)
class VisibleStage:
    stage: Stage
    links: list[tuple[str | Promise, str]]


def stages_for(ctx: OrgContext) -> list[VisibleStage]:
    return list(_links(ctx.organisation.slug, ctx.roles, *_urls_in_use())[0])


def organisation_links(ctx: OrgContext) -> list[tuple[str | Promise, str]]:
    return list(_links(ctx.organisation.slug, ctx.roles, *_urls_in_use())[1])


def _urls_in_use() -> tuple[str, str]:
    """What a reversed URL depends on besides its name and arguments."""
    return get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF)


# The links depend only on the organisation's address and the user's roles (the labels stay lazy
# and are translated when the page is rendered), so every page of every worker reuses them; a
# school has a handful of role combinations, a region a few per school.
@lru_cache(maxsize=4096)
def _links(
    slug: str, roles: frozenset[str], _prefix: str, _urlconf: str
) -> tuple[tuple[VisibleStage, ...], tuple[tuple[str | Promise, str], ...]]:
    ctx = OrgContext(organisation=_Slug(slug), roles=roles)  # type: ignore[arg-type]
    stages = tuple(
        VisibleStage(
            stage, [(item.label, item.href(slug)) for item in stage.items if item.shown_to(ctx)]
        )
        for stage in STAGES
    )
    organisation = tuple(
        (item.label, item.href(slug)) for item in ORGANISATION_ITEMS if item.shown_to(ctx)
    )
    return stages, organisation


@dataclass(frozen=True)
class _Slug:
    """The one thing of the organisation the links are made of."""

    slug: str
