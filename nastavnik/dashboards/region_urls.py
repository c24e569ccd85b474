from django.urls import path

from nastavnik.dashboards import views

app_name = "region"

urlpatterns = [
    path("", views.region_dashboard, name="dashboard"),
]
