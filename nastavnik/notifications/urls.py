from django.urls import path

from nastavnik.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("settings/", views.preferences, name="preferences"),
    path("<int:notification_pk>/read/", views.notification_open, name="open"),
]
