from django.urls import path

from nastavnik.programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("current/", views.current, name="current"),
    path("current/roadmap/", views.current_roadmap, name="current_roadmap"),
    path("current/stages/", views.current_stages, name="current_stages"),
    path("new/", views.programme_create, name="create"),
    path("<int:programme_pk>/", views.programme_detail, name="detail"),
    path("<int:programme_pk>/edit/", views.programme_edit, name="edit"),
    path("<int:programme_pk>/finish/", views.programme_finish, name="finish"),
    path("<int:programme_pk>/programme.docx", views.programme_docx, name="docx"),
    path("<int:programme_pk>/stages/", views.stages, name="stages"),
    path("<int:programme_pk>/forms/add/", views.programme_form_add, name="form_add"),
    path("forms/<int:programme_form_pk>/", views.programme_form_edit, name="form_edit"),
    path(
        "forms/<int:programme_form_pk>/remove/",
        views.programme_form_remove,
        name="form_remove",
    ),
    path("forms/<int:programme_form_pk>/plan/", views.plan_edit, name="plan_edit"),
    path("<int:programme_pk>/team/", views.team, name="team"),
    path("team/<int:member_pk>/remove/", views.team_member_remove, name="team_remove"),
    path("<int:programme_pk>/partners/", views.partners, name="partners"),
    path("<int:programme_pk>/partners/new/", views.partner_create, name="partner_create"),
    path("partners/<int:partner_pk>/", views.partner_edit, name="partner_edit"),
    path("partners/<int:partner_pk>/delete/", views.partner_delete, name="partner_delete"),
    path("<int:programme_pk>/roadmap/", views.roadmap, name="roadmap"),
    path("<int:programme_pk>/roadmap/generate/", views.roadmap_generate, name="roadmap_generate"),
    path("<int:programme_pk>/roadmap.docx", views.roadmap_docx, name="roadmap_docx"),
    path("<int:programme_pk>/roadmap.xlsx", views.roadmap_xlsx_view, name="roadmap_xlsx"),
    path("<int:programme_pk>/timeline/", views.timeline, name="timeline"),
    path("<int:programme_pk>/roadmap/new/", views.event_create, name="event_create"),
    path("events/<int:event_pk>/", views.event_edit, name="event_edit"),
    path("events/<int:event_pk>/move/", views.event_move, name="event_move"),
    path("events/<int:event_pk>/done/", views.event_done, name="event_done"),
    path("events/<int:event_pk>/reopen/", views.event_reopen, name="event_reopen"),
    path("events/<int:event_pk>/delete/", views.event_delete, name="event_delete"),
    path("events/<int:event_pk>/file/", views.event_file, name="event_file"),
    path(
        "<int:programme_pk>/orders/approval/",
        views.approval_order_create,
        name="approval_order",
    ),
    path(
        "<int:programme_pk>/orders/curator/",
        views.curator_order_create,
        name="curator_order",
    ),
]
