"""The one-time consent link: outside any organisation, opened without an account."""

from django.urls import path

from nastavnik.consents import views

app_name = "consent_public"

urlpatterns = [
    path("<str:token>/", views.link_confirm, name="confirm"),
]
