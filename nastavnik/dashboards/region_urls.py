from django.urls import path

from nastavnik.api import views as api_views
from nastavnik.dashboards import views

app_name = "region"

urlpatterns = [
    path("", views.region_dashboard, name="dashboard"),
    path("api-tokens/", api_views.region_token_list, name="api_tokens"),
    path(
        "api-tokens/<int:token_pk>/revoke/",
        api_views.region_token_revoke,
        name="api_token_revoke",
    ),
]
