from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from nastavnik.accounts import views
from nastavnik.accounts.forms import EmailAuthenticationForm, QueuedPasswordResetForm
from nastavnik.accounts.sso import views as sso_views
from nastavnik.accounts.sso.views import SsoLoginView
from nastavnik.core.access import account_view, public_view

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        public_view(SsoLoginView.as_view(authentication_form=EmailAuthenticationForm)),
        name="login",
    ),
    path("logout/", public_view(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/change/",
        account_view(
            auth_views.PasswordChangeView.as_view(
                template_name="accounts/password_change.html",
                success_url=reverse_lazy("accounts:password_change_done"),
            )
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        account_view(
            auth_views.PasswordChangeDoneView.as_view(
                template_name="accounts/password_change_done.html"
            )
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        public_view(
            auth_views.PasswordResetView.as_view(
                template_name="accounts/password_reset.html",
                form_class=QueuedPasswordResetForm,
                email_template_name="accounts/email/password_reset.txt",
                subject_template_name="accounts/email/password_reset_subject.txt",
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        public_view(
            auth_views.PasswordResetDoneView.as_view(
                template_name="accounts/password_reset_done.html"
            )
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        public_view(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="accounts/password_reset_confirm.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        public_view(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # Single sign-on: the site's provider, an organisation's own (by its slug: a public page,
    # not one inside the organisation), and the one callback both return to (the redirect URI
    # registered with every provider).
    path("sso/start/", sso_views.sso_start, name="sso_start"),
    path("sso/start/<slug:slug>/", sso_views.sso_start, name="sso_start_org"),
    path("sso/callback/", sso_views.sso_callback, name="sso_callback"),
]
