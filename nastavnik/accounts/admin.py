from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import Invitation, User


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
