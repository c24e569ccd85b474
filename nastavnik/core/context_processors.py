from typing import Any

from django.http import HttpRequest

from nastavnik.core.navigation import organisation_links, stages_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    ctx = getattr(request, "org", None)
    if ctx is None:
        return {}
    return {
        "org": ctx.organisation,
        "org_ctx": ctx,
        "nav_stages": stages_for(ctx),
        "nav_organisation": organisation_links(ctx),
    }
