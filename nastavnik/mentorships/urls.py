from django.urls import path

from nastavnik.mentorships import views

app_name = "mentorships"

urlpatterns = [
    path("", views.mentorship_list, name="list"),
    path("<int:mentorship_pk>/", views.mentorship_detail, name="detail"),
    path("<int:mentorship_pk>/complete/", views.mentorship_complete, name="complete"),
    path(
        "<int:mentorship_pk>/complete-early/",
        views.mentorship_complete_early,
        name="complete_early",
    ),
    path("<int:mentorship_pk>/terminate/", views.mentorship_terminate, name="terminate"),
    path("<int:mentorship_pk>/extend/", views.mentorship_extend, name="extend"),
    path("<int:mentorship_pk>/term/", views.mentorship_term, name="term"),
    path("<int:mentorship_pk>/kind/", views.mentorship_kind, name="kind"),
    path("<int:mentorship_pk>/replace/", views.mentorship_replace, name="replace"),
    path("<int:mentorship_pk>/results/", views.mentorship_results, name="results"),
]
