from django.urls import path

from nastavnik.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_overview, name="overview"),
    path("pair/<int:mentorship_pk>/", views.plan_detail, name="plan"),
    path("pair/<int:mentorship_pk>/start/", views.plan_start, name="start"),
    path("pair/<int:mentorship_pk>/items/add/", views.item_add, name="item_add"),
    path("pair/<int:mentorship_pk>/comments/", views.comment_add, name="comment"),
    path("pair/<int:mentorship_pk>/contact/", views.contact_set, name="contact"),
    path("pair/<int:mentorship_pk>/plan.docx", views.plan_docx, name="docx"),
    path("items/<int:plan_item_pk>/", views.item_edit, name="item_edit"),
    path("items/<int:plan_item_pk>/delete/", views.item_delete, name="item_delete"),
    path("items/<int:plan_item_pk>/evidence/", views.item_evidence, name="item_evidence"),
]
