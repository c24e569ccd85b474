from django.urls import path

from nastavnik.people import views
from nastavnik.people.transfer import views as transfer

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create_view, name="create"),
    path("export/", transfer.people_export, name="export"),
    path("import/", transfer.import_upload, name="import"),
    path("import/<int:job_pk>/", transfer.import_job, name="import_job"),
    path("import/<int:job_pk>/columns/", transfer.import_columns, name="import_columns"),
    path("import/<int:job_pk>/confirm/", transfer.import_confirm, name="import_confirm"),
    path("import/<int:job_pk>/discard/", transfer.import_discard, name="import_discard"),
    path("<int:person_pk>/", views.person_detail, name="detail"),
    path("<int:person_pk>/edit/", views.person_edit, name="edit"),
    path("<int:person_pk>/guardians/add/", views.guardian_add, name="guardian_add"),
    path(
        "<int:person_pk>/guardians/<int:link_pk>/remove/",
        views.guardian_remove,
        name="guardian_remove",
    ),
]
