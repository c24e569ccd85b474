from django.urls import path

from nastavnik.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("programme/<int:programme_pk>/quality/", views.quality, name="quality"),
    path("programme/<int:programme_pk>/swot/", views.swot, name="swot"),
    path(
        "programme/<int:programme_pk>/swot/candidate/", views.swot_candidate, name="swot_candidate"
    ),
    path("swot/items/<int:swot_item_pk>/", views.swot_item_edit, name="swot_item_edit"),
    path("swot/items/<int:swot_item_pk>/delete/", views.swot_item_delete, name="swot_item_delete"),
    path("programme/<int:programme_pk>/impact/", views.impact, name="impact"),
]
