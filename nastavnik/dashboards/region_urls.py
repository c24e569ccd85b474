from django.urls import path

from nastavnik.dashboards import region_views

app_name = "region"

urlpatterns = [
    path("", region_views.region_dashboard, name="dashboard"),
    path("reports/new/", region_views.report_new, name="report_new"),
    path("reports/<int:report_pk>/", region_views.report, name="report"),
    path(
        "reports/<int:report_pk>/<str:fmt>/", region_views.report_download, name="report_download"
    ),
]
