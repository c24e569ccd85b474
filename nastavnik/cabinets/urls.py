from django.urls import path

from nastavnik.cabinets import views

app_name = "cabinets"

# No row in any address: each page lists the user's own rows.
urlpatterns = [
    path("mentor/", views.mentor, name="mentor"),
    path("mentee/", views.mentee, name="mentee"),
    path("mentee/questionnaire/", views.questionnaire_open, name="questionnaire"),
    path("children/", views.guardian, name="guardian"),
]
