from django.urls import path

from nastavnik.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.current, name="list"),
    path("programme/<int:programme_pk>/", views.table, name="programme"),
    path(
        "programme/<int:programme_pk>/people/<int:person_pk>/",
        views.record,
        name="record",
    ),
    path("measures/<int:measure_pk>/delete/", views.measure_delete, name="measure_delete"),
    path("parameters/", views.parameters, name="parameters"),
    path("parameters/new/", views.parameter_create, name="parameter_create"),
    path("parameters/<int:parameter_pk>/", views.parameter_edit, name="parameter_edit"),
]
