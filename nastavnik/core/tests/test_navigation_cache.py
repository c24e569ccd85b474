"""The side navigation is made once per organisation and set of roles and reused by every later
page (core.navigation): what each user sees must still be exactly their own organisation's
links for their own roles, whoever asked before them on the same worker, and an organisation
whose address changes gets links to the new one."""

import re

import pytest
from django.urls import reverse

from nastavnik.core.navigation import _links
from nastavnik.orgs.models import Membership, Role

pytestmark = pytest.mark.django_db


def _sidebar(page: str) -> list[str]:
    nav = page.split('<nav class="sidenav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', nav)


def _dashboard(client, user, slug: str) -> str:
    client.force_login(user)
    answer = client.get(reverse("orgs:dashboard", kwargs={"org_slug": slug}))
    assert answer.status_code == 200
    return answer.content.decode()


def test_each_role_keeps_its_own_links_after_another_role_was_served(client, tenant_a):
    _links.cache_clear()
    slug = tenant_a.organisation.slug
    curator = _sidebar(_dashboard(client, tenant_a.user(Role.CURATOR), slug))
    mentee = _sidebar(_dashboard(client, tenant_a.user(Role.MENTEE), slug))
    curator_again = _sidebar(_dashboard(client, tenant_a.user(Role.CURATOR), slug))

    audit = reverse("audit:log", kwargs={"org_slug": slug})
    assert audit in curator
    # The mentee, served right after the curator, gets none of the curator's links.
    assert audit not in mentee
    assert reverse("cabinets:mentee", kwargs={"org_slug": slug}) in mentee
    assert len(mentee) < len(curator)
    assert curator_again == curator


def test_links_name_the_organisation_of_the_page_not_the_one_served_before(
    client, tenant_a, tenant_b
):
    _links.cache_clear()
    in_a = _sidebar(_dashboard(client, tenant_a.user(Role.CURATOR), tenant_a.organisation.slug))
    in_b = _sidebar(_dashboard(client, tenant_b.user(Role.CURATOR), tenant_b.organisation.slug))

    assert in_a and in_b
    assert all("/school-a/" in href for href in in_a if href.startswith("/o/"))
    assert all("/school-b/" in href for href in in_b if href.startswith("/o/"))


def test_a_role_given_or_taken_changes_the_links_on_the_next_page(client, tenant_a):
    _links.cache_clear()
    slug = tenant_a.organisation.slug
    user = tenant_a.user(Role.MENTEE)
    audit = reverse("audit:log", kwargs={"org_slug": slug})
    assert audit not in _sidebar(_dashboard(client, user, slug))

    curator_role = Membership.objects.create(
        user=user, organisation=tenant_a.organisation, role=Role.CURATOR
    )
    assert audit in _sidebar(_dashboard(client, user, slug))

    curator_role.delete()
    assert audit not in _sidebar(_dashboard(client, user, slug))


def test_a_new_address_of_the_organisation_gives_links_to_it(client, tenant_a):
    _links.cache_clear()
    organisation = tenant_a.organisation
    user = tenant_a.user(Role.CURATOR)
    _dashboard(client, user, organisation.slug)
    organisation.slug = "school-renamed"
    organisation.save(update_fields=["slug"])

    links = _sidebar(_dashboard(client, user, "school-renamed"))

    assert reverse("audit:log", kwargs={"org_slug": "school-renamed"}) in links
    assert not any("/school-a/" in href for href in links)


def test_the_current_page_is_marked_in_the_navigation(client, tenant_a):
    slug = tenant_a.organisation.slug
    client.force_login(tenant_a.user(Role.CURATOR))
    audit = reverse("audit:log", kwargs={"org_slug": slug})
    page = client.get(audit).content.decode()

    assert f'<a href="{audit}" aria-current="page">' in page
    assert page.count('aria-current="page"') == 1


def test_an_outsider_of_the_organisation_gets_404_with_one_query_for_roles(
    client, tenant_a, tenant_b, django_assert_max_num_queries
):
    client.force_login(tenant_b.user(Role.CURATOR))
    url = reverse("orgs:dashboard", kwargs={"org_slug": tenant_a.organisation.slug})
    # The session, the account and the memberships: nothing of the organisation is read.
    with django_assert_max_num_queries(3):
        assert client.get(url).status_code == 404
