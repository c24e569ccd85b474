from django.urls import path

from nastavnik.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:token_pk>/revoke/", views.token_revoke_view, name="revoke"),
]
