from django.urls import path

from nastavnik.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("export.xlsx", views.case_export, name="export"),
    path("new/", views.case_create, name="create"),
    path("from-pair/<int:mentorship_pk>/", views.case_from_mentorship, name="from_mentorship"),
    path("<int:case_pk>/", views.case_detail, name="detail"),
    path("<int:case_pk>/edit/", views.case_edit, name="edit"),
    path("<int:case_pk>/publish/", views.case_publish, name="publish"),
    path("<int:case_pk>/delete/", views.case_delete, name="delete"),
]
