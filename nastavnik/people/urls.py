from django.urls import path

from nastavnik.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create_view, name="create"),
    path("<int:person_pk>/", views.person_detail, name="detail"),
    path("<int:person_pk>/edit/", views.person_edit, name="edit"),
    path("<int:person_pk>/guardians/add/", views.guardian_add, name="guardian_add"),
    path(
        "<int:person_pk>/guardians/<int:link_pk>/remove/",
        views.guardian_remove,
        name="guardian_remove",
    ),
]
