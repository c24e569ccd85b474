from django.urls import path

from nastavnik.cabinets import views

app_name = "cabinets"

# No row in any address: each page lists the user's own rows. The one exception, a child's
# data, is looked up among the user's own guardian links only (404 for any other child).
urlpatterns = [
    path("mentor/", views.mentor, name="mentor"),
    path("mentee/", views.mentee, name="mentee"),
    path("mentee/questionnaire/", views.questionnaire_open, name="questionnaire"),
    path("children/", views.guardian, name="guardian"),
    path("my-data/", views.own_data, name="own_data"),
    path("children/<int:child_pk>/data/", views.child_data, name="child_data"),
]
