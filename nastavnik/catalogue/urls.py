from django.urls import path

from nastavnik.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.forms, name="forms"),
    path("forms/new/", views.form_create, name="form_create"),
    path("forms/<int:form_pk>/", views.form_edit, name="form_edit"),
    path("forms/<int:form_pk>/delete/", views.form_delete, name="form_delete"),
    path("forms/<int:form_pk>/role-models/new/", views.role_model_create, name="role_model_create"),
    path("role-models/<int:role_model_pk>/", views.role_model_edit, name="role_model_edit"),
    path(
        "role-models/<int:role_model_pk>/delete/",
        views.role_model_delete,
        name="role_model_delete",
    ),
]
