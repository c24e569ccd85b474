from django.urls import path

from nastavnik.consents import views

app_name = "consents"

urlpatterns = [
    path("", views.register, name="register"),
    path("missing/", views.missing, name="missing"),
    path("missing/print/", views.missing_print, name="missing_print"),
    path("people/<int:person_pk>/", views.person_consents, name="person"),
    path("people/<int:person_pk>/form/", views.person_form, name="person_form"),
    path("people/<int:person_pk>/record/", views.record, name="record"),
    path("people/<int:person_pk>/link/", views.link_issue, name="link_issue"),
    path("<int:consent_pk>/", views.consent_detail, name="detail"),
    path("<int:consent_pk>/scan/", views.consent_scan, name="scan"),
    path("<int:consent_pk>/document/", views.consent_document, name="document"),
    path("<int:consent_pk>/withdraw/", views.withdraw, name="withdraw"),
    path("mine/<int:consent_pk>/withdraw/", views.withdraw_own, name="withdraw_own"),
]
