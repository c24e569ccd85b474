from django.urls import path

from nastavnik.mentors import views

app_name = "mentors"

urlpatterns = [
    # The mentor base (stage 3)
    path("", views.mentor_list, name="list"),
    path("export.xlsx", views.mentor_export, name="export"),
    path("add/", views.mentor_add, name="add"),
    path("<int:mentor_pk>/", views.mentor_detail, name="detail"),
    path("<int:mentor_pk>/edit/", views.mentor_edit, name="edit"),
    path("<int:mentor_pk>/put-forward/", views.mentor_put_forward, name="put_forward"),
    path("<int:mentor_pk>/leave/", views.mentor_leave, name="leave"),
    path("<int:mentor_pk>/documents/", views.document_add, name="document_add"),
    path("documents/<int:mentor_document_pk>/scan/", views.document_scan, name="document_scan"),
    # Selection by the commission (stage 4)
    path("selection/", views.selection, name="selection"),
    path("programme/<int:programme_pk>/commission/", views.commission, name="commission"),
    path("<int:mentor_pk>/selection/", views.candidate, name="candidate"),
    path("<int:mentor_pk>/score/", views.score, name="score"),
    path("<int:mentor_pk>/decision/", views.decision, name="decision"),
    path("<int:mentor_pk>/interview/", views.interview_add, name="interview_add"),
    # The registry
    path("registry/", views.registry, name="registry"),
    path("registry.xlsx", views.registry_download, name="registry_xlsx"),
    path(
        "programme/<int:programme_pk>/registry-order/",
        views.registry_order,
        name="registry_order",
    ),
    # The mentor school
    path("training/", views.training, name="training"),
    path("programme/<int:programme_pk>/training/add/", views.training_add, name="training_add"),
    path("programme/<int:programme_pk>/training/plan/", views.training_plan, name="training_plan"),
    path("training/<int:training_event_pk>/edit/", views.training_edit, name="training_edit"),
    path("training/<int:training_event_pk>/delete/", views.training_delete, name="training_delete"),
    path("training/<int:training_event_pk>/attendance/", views.attendance, name="attendance"),
    path(
        "training/<int:training_event_pk>/materials/",
        views.training_materials,
        name="training_materials",
    ),
    path("<int:mentor_pk>/training/", views.training_mark, name="training_mark"),
    # Portfolios
    path("my-portfolio/", views.my_portfolio, name="my_portfolio"),
    path("<int:mentor_pk>/portfolio/", views.mentor_portfolio, name="portfolio"),
    path("portfolio/<int:portfolio_item_pk>/file/", views.portfolio_file, name="portfolio_file"),
]
