from django.urls import path

from nastavnik.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("members/", views.members, name="members"),
    path("settings/", views.settings, name="settings"),
]
