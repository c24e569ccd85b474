from django.urls import path

from nastavnik.questionnaires import views

app_name = "questionnaires"

urlpatterns = [
    path("", views.questionnaire_list, name="list"),
    path("new/", views.questionnaire_create, name="create"),
    path("<int:questionnaire_pk>/", views.questionnaire_detail, name="detail"),
    path("<int:questionnaire_pk>/edit/", views.questionnaire_edit, name="edit"),
    path("<int:questionnaire_pk>/copy/", views.questionnaire_copy, name="copy"),
    path("<int:questionnaire_pk>/delete/", views.questionnaire_delete, name="delete"),
    path("<int:questionnaire_pk>/questionnaire.docx", views.questionnaire_docx_view, name="docx"),
    path("<int:questionnaire_pk>/questionnaire.pdf", views.questionnaire_pdf_view, name="pdf"),
    path("<int:questionnaire_pk>/sections/new/", views.section_create, name="section_create"),
    path("sections/<int:section_pk>/", views.section_edit, name="section_edit"),
    path("sections/<int:section_pk>/delete/", views.section_delete, name="section_delete"),
    path("sections/<int:section_pk>/move/", views.section_move, name="section_move"),
    path("<int:questionnaire_pk>/questions/new/", views.question_create, name="question_create"),
    path("questions/<int:question_pk>/", views.question_edit, name="question_edit"),
    path("questions/<int:question_pk>/delete/", views.question_delete, name="question_delete"),
    path("questions/<int:question_pk>/move/", views.question_move, name="question_move"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:campaign_pk>/", views.campaign_detail, name="campaign_detail"),
    path(
        "campaigns/<int:campaign_pk>/progress/",
        views.campaign_progress,
        name="campaign_progress",
    ),
    path("campaigns/<int:campaign_pk>/close/", views.campaign_close, name="campaign_close"),
    path("campaigns/<int:campaign_pk>/remind/", views.campaign_remind, name="campaign_remind"),
    path(
        "campaigns/<int:campaign_pk>/slips.docx",
        views.campaign_slips_docx,
        name="campaign_slips_docx",
    ),
    path(
        "campaigns/<int:campaign_pk>/slips.pdf",
        views.campaign_slips_pdf,
        name="campaign_slips_pdf",
    ),
    path(
        "campaigns/<int:campaign_pk>/questionnaire.docx",
        views.campaign_questionnaire_docx,
        name="campaign_docx",
    ),
    path(
        "campaigns/<int:campaign_pk>/questionnaire.pdf",
        views.campaign_questionnaire_pdf,
        name="campaign_pdf",
    ),
    path("campaigns/<int:campaign_pk>/results/", views.campaign_results, name="campaign_results"),
    path("campaigns/<int:campaign_pk>/answers.xlsx", views.campaign_export, name="campaign_export"),
    path("campaigns/<int:campaign_pk>/enter/", views.campaign_enter, name="campaign_enter"),
    path(
        "invitations/<int:survey_invitation_pk>/enter/",
        views.invitation_enter,
        name="invitation_enter",
    ),
    path("responses/<int:response_pk>/", views.response_detail, name="response_detail"),
]
