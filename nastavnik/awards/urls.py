from django.urls import path

from nastavnik.awards import views

app_name = "awards"

urlpatterns = [
    path("", views.nomination_list, name="list"),
    path("programme/<int:programme_pk>/builtin/", views.builtin_create, name="builtin"),
    path("programme/<int:programme_pk>/new/", views.nomination_create, name="create"),
    path("programme/<int:programme_pk>/documents/", views.documents, name="documents"),
    path("programme/<int:programme_pk>/documents/zip/", views.documents_zip, name="zip"),
    path("programme/<int:programme_pk>/order/", views.order_create, name="order"),
    path("<int:nomination_pk>/", views.nomination_detail, name="nomination"),
    path("<int:nomination_pk>/delete/", views.nomination_delete, name="delete"),
    path("<int:nomination_pk>/jury/", views.jury_edit, name="jury"),
    path("<int:nomination_pk>/nominees/add/", views.nominee_add, name="nominee_add"),
    path("<int:nomination_pk>/score/", views.score, name="score"),
    path("<int:nomination_pk>/winners/", views.decide, name="decide"),
    path("nominees/<int:nominee_pk>/remove/", views.nominee_remove, name="nominee_remove"),
    path("documents/<int:award_pk>/docx/", views.award_download, name="award_docx"),
    path("documents/<int:award_pk>/pdf/", views.award_download_pdf, name="award_pdf"),
]
