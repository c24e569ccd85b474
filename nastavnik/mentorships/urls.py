from django.urls import path

from nastavnik.mentorships import views

app_name = "mentorships"

urlpatterns = [
    path("", views.mentorship_list, name="list"),
    path("<int:mentorship_pk>/", views.mentorship_detail, name="detail"),
]
