"""Answering a questionnaire: outside any organisation, opened without an account, by a
personal link or a short code typed in."""

from django.urls import path  # noqa: F401

app_name = "respond"

urlpatterns: list = []
