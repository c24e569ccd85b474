from django.urls import path

from nastavnik.meetings import feed

app_name = "calendar_feed"

urlpatterns = [
    path("<str:token>.ics", feed.calendar_feed, name="feed"),
]
