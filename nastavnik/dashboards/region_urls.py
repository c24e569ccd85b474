from django.urls import path

from nastavnik.api import views as api_views
from nastavnik.dashboards import region_views

app_name = "region"

urlpatterns = [
    path("", region_views.region_dashboard, name="dashboard"),
    path("reports/new/", region_views.report_new, name="report_new"),
    path("reports/<int:report_pk>/", region_views.report, name="report"),
    path(
        "reports/<int:report_pk>/<str:fmt>/", region_views.report_download, name="report_download"
    ),
    path("api-tokens/", api_views.region_token_list, name="api_tokens"),
    path(
        "api-tokens/<int:token_pk>/revoke/",
        api_views.region_token_revoke,
        name="api_token_revoke",
    ),
]
