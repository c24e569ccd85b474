from django.urls import path

from nastavnik.mentees import views

app_name = "mentees"

urlpatterns = [
    path("", views.current, name="list"),
    path("programme/<int:programme_pk>/", views.base, name="programme"),
    path("programme/<int:programme_pk>/mentees.xlsx", views.export, name="export"),
    path("programme/<int:programme_pk>/add/", views.add, name="add"),
    path("<int:mentee_pk>/", views.detail, name="detail"),
    path("<int:mentee_pk>/edit/", views.edit, name="edit"),
    path("<int:mentee_pk>/accept/", views.accept, name="accept"),
    path("<int:mentee_pk>/leave/", views.leave, name="leave"),
    path("<int:mentee_pk>/restore/", views.restore, name="restore"),
    path("<int:mentee_pk>/input/", views.input_add, name="input_add"),
]
