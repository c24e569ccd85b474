from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from nastavnik.api.urls import api_patterns
from nastavnik.core import views as core_views
from nastavnik.core.access import public_view
from nastavnik.dashboards.views import dashboard
from nastavnik.orgs import urls as orgs_urls

# The organisation's home page is the dashboard, which gathers from every app; it keeps its
# name in the organisation's namespace (`orgs:dashboard`).
organisation_urls = [path("", dashboard, name="dashboard"), *orgs_urls.urlpatterns]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.health, name="health"),
    path("i18n/setlang/", public_view(set_language), name="set_language"),
    path("accounts/", include("nastavnik.accounts.urls")),
    path("region/", include("nastavnik.dashboards.region_urls")),
    path("o/<slug:org_slug>/", include((organisation_urls, orgs_urls.app_name))),
    path("o/<slug:org_slug>/people/", include("nastavnik.people.urls")),
    path("o/<slug:org_slug>/catalogue/", include("nastavnik.catalogue.urls")),
    path("o/<slug:org_slug>/programme/", include("nastavnik.programmes.urls")),
    path("o/<slug:org_slug>/orders/", include("nastavnik.orders.urls")),
    path("o/<slug:org_slug>/consents/", include("nastavnik.consents.urls")),
    path("o/<slug:org_slug>/audit/", include("nastavnik.audit.urls")),
    path("o/<slug:org_slug>/questionnaires/", include("nastavnik.questionnaires.urls")),
    path("o/<slug:org_slug>/mentees/", include("nastavnik.mentees.urls")),
    path("o/<slug:org_slug>/assessment/", include("nastavnik.assessments.urls")),
    path("o/<slug:org_slug>/mentors/", include("nastavnik.mentors.urls")),
    path("o/<slug:org_slug>/matching/", include("nastavnik.matching.urls")),
    path("o/<slug:org_slug>/mentorships/", include("nastavnik.mentorships.urls")),
    path("o/<slug:org_slug>/my/", include("nastavnik.cabinets.urls")),
    path("o/<slug:org_slug>/plans/", include("nastavnik.plans.urls")),
    path("o/<slug:org_slug>/meetings/", include("nastavnik.meetings.urls")),
    path("o/<slug:org_slug>/awards/", include("nastavnik.awards.urls")),
    path("o/<slug:org_slug>/cases/", include("nastavnik.cases.urls")),
    path("o/<slug:org_slug>/public-page/", include("nastavnik.showcase.urls")),
    path("o/<slug:org_slug>/monitoring/", include("nastavnik.monitoring.urls")),
    path("o/<slug:org_slug>/indicators/", include("nastavnik.indicators.urls")),
    path("o/<slug:org_slug>/concerns/", include("nastavnik.concerns.urls")),
    path("o/<slug:org_slug>/compliance/", include("nastavnik.compliance.urls")),
    path("o/<slug:org_slug>/notifications/", include("nastavnik.notifications.urls")),
    path("notifications/", include("nastavnik.notifications.public_urls")),
    path("consent/", include("nastavnik.consents.public_urls")),
    path("q/", include("nastavnik.questionnaires.public_urls")),
    # Readable without login: organisations' public mentoring pages, personal calendar feeds.
    path("mentoring/", include("nastavnik.showcase.public_urls")),
    path("calendar/", include("nastavnik.meetings.feed_urls")),
    path("o/<slug:org_slug>/api-tokens/", include("nastavnik.api.web_urls")),
    path("api/v1/", api_patterns),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
