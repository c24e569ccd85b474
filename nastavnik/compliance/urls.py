from django.urls import path

from nastavnik.compliance import views

app_name = "compliance"

urlpatterns = [
    path("", views.index, name="index"),
    path("compliance.xlsx", views.export, name="export"),
]
