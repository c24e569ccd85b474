from django.urls import path

from nastavnik.showcase import views

app_name = "showcase"

urlpatterns = [
    path("", views.page_settings, name="settings"),
    path("announcements/new/", views.announcement_add, name="announcement_add"),
    path("announcements/<int:announcement_pk>/", views.announcement_edit, name="announcement_edit"),
    path(
        "announcements/<int:announcement_pk>/delete/",
        views.announcement_delete,
        name="announcement_delete",
    ),
]
