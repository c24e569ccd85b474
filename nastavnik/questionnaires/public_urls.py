"""Answering a questionnaire: outside any organisation, opened without an account, by a
personal link or a short code typed in."""

from django.urls import path

from nastavnik.questionnaires import respond

app_name = "respond"

urlpatterns = [
    path("", respond.code_entry, name="code"),
    path("answer/", respond.answer_by_code, name="answer"),
    path("thanks/", respond.thanks, name="thanks"),
    path("<str:token>/", respond.answer_by_link, name="link"),
]
