from django.urls import path

from nastavnik.accounts import views as accounts_views
from nastavnik.orgs import views

app_name = "orgs"

urlpatterns = [
    path("members/", views.members, name="members"),
    path("members/invite/", accounts_views.member_invite, name="member_invite"),
    path(
        "members/invitations/<int:invitation_pk>/revoke/",
        accounts_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "members/roles/<int:membership_pk>/remove/",
        accounts_views.membership_remove,
        name="membership_remove",
    ),
    path("settings/", views.settings, name="settings"),
    path("settings/letterhead/", views.letterhead, name="letterhead"),
]
