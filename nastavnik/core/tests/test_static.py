from django.contrib.staticfiles import finders


def test_the_projects_stylesheet_and_htmx_are_found_without_a_cdn():
    assert finders.find("nastavnik/app.css")
    assert finders.find("django_htmx/htmx-2.min.js")
