from django.urls import path

from nastavnik.meetings import views

app_name = "meetings"

urlpatterns = [
    path("calendar/", views.meeting_calendar, name="calendar"),
    path("calendar/subscribe/", views.feed_page, name="feed"),
    path("settings/", views.meeting_settings, name="settings"),
    path("pair/<int:mentorship_pk>/", views.meeting_list, name="list"),
    path("pair/<int:mentorship_pk>/new/", views.meeting_create, name="create"),
    path("<int:meeting_pk>/", views.meeting_detail, name="detail"),
    path("<int:meeting_pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:meeting_pk>/held/", views.meeting_hold, name="hold"),
    path("<int:meeting_pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:meeting_pk>/rate/", views.meeting_rate, name="rate"),
]
