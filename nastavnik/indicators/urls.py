from django.urls import path

from nastavnik.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.index, name="index"),
    path("targets/", views.targets, name="targets"),
    path("targets/set/", views.target_set, name="target_set"),
    path("targets/reset/", views.target_reset, name="target_reset"),
    path("snapshots/", views.snapshots, name="snapshots"),
    path("<int:programme_pk>/", views.programme_indicators, name="programme"),
    path("<int:programme_pk>/snapshot/", views.snapshot_take, name="snapshot_take"),
    path("<int:programme_pk>/report.docx", views.report_docx, name="report_docx"),
    path("<int:programme_pk>/indicators.xlsx", views.indicators_xlsx, name="xlsx"),
]
