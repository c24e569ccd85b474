from django.urls import path

from nastavnik.concerns import views

app_name = "concerns"

urlpatterns = [
    # Those who handle concerns, and the psychologist for those shared with them.
    path("", views.concern_list, name="list"),
    path("<int:concern_pk>/", views.concern_detail, name="detail"),
    # The reporter's own, from the cabinet.
    path("my/", views.own_list, name="own_list"),
    path("my/new/", views.concern_new, name="new"),
    path("my/<int:own_concern_pk>/", views.own_detail, name="own_detail"),
]
