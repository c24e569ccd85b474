from django.urls import path

from nastavnik.cabinets import selfmatch, views

app_name = "cabinets"

# No row in any address: each page lists the user's own rows. A child's data are asked for
# with ?child=<pk>, looked up among the user's own guardian links only (404 for any other).
urlpatterns = [
    path("mentor/", views.mentor, name="mentor"),
    path("mentee/", views.mentee, name="mentee"),
    path("mentee/questionnaire/", views.questionnaire_open, name="questionnaire"),
    path("mentee/mentor-request/", selfmatch.ask, name="selfmatch_ask"),
    path("children/mentor-request/", selfmatch.ask_for_child, name="selfmatch_ask_child"),
    path("mentor/requests/answer/", selfmatch.answer, name="selfmatch_answer"),
    path("mentor/requests/settings/", selfmatch.mentor_settings, name="selfmatch_settings"),
    path("children/", views.guardian, name="guardian"),
    path("data/", views.own_data, name="own_data"),
    path("children/data/", views.child_data, name="child_data"),
]
