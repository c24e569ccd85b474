"""The public mentoring pages, by the organisation's address; no account needed. The kwarg is
`slug`, not `org_slug`: these are not organisation views (`tests/test_isolation.py`)."""

from django.urls import path

from nastavnik.showcase import public_views

app_name = "public_page"

urlpatterns = [
    path("<slug:slug>/", public_views.page, name="page"),
    path("<slug:slug>/mentors/<int:mentor_id>/", public_views.mentor, name="mentor"),
    path("<slug:slug>/cases/<int:case_id>/", public_views.case, name="case"),
    path("<slug:slug>/programme.docx", public_views.programme_docx, name="programme_docx"),
    path("<slug:slug>/roadmap.docx", public_views.roadmap_docx, name="roadmap_docx"),
]
