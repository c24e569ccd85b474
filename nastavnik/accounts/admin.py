from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import ExternalIdentity, IdentityProvider, Invitation, User
from nastavnik.accounts.sso.providers import SecretBox, clean_claims_mapping


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "last_name", "first_name", "is_active", "is_staff"]
    search_fields = ["email", "last_name", "first_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Name"), {"fields": ("last_name", "first_name")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "organisation"]
    readonly_fields = ["token"]


class IdentityProviderForm(forms.ModelForm):
    issuer = forms.URLField(
        label=_("issuer"),
        max_length=300,
        assume_scheme="https",
        help_text=IdentityProvider._meta.get_field("issuer").help_text,
    )
    # Write-only: the stored secret is never shown, and an empty field keeps it.
    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted. Leave empty to keep the current one."),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "organisation",
            "name",
            "issuer",
            "client_id",
            "scopes",
            "claims_mapping",
            "enabled",
        ]

    def clean_claims_mapping(self) -> dict[str, str]:
        try:
            return clean_claims_mapping(self.cleaned_data.get("claims_mapping") or {})
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def save(self, commit: bool = True) -> IdentityProvider:
        provider = super().save(commit=False)
        if self.cleaned_data.get("client_secret"):
            provider.client_secret_encrypted = SecretBox.seal(self.cleaned_data["client_secret"])
        if commit:
            provider.save()
        return provider


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    form = IdentityProviderForm
    fields = [
        "organisation",
        "name",
        "issuer",
        "client_id",
        "client_secret",
        "scopes",
        "claims_mapping",
        "enabled",
    ]
    list_display = ["organisation", "name", "issuer", "enabled"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__short_name", "issuer"]


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    """Read-only but for removal: deleting a row unlinks the identity from the account."""

    list_display = ["user", "issuer", "subject", "linked_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "subject"]
    readonly_fields = ["user", "issuer", "subject", "linked_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
