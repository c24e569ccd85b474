from django.contrib import admin

from nastavnik.catalogue.models import MentoringForm, RoleModel


class RoleModelInline(admin.TabularInline):
    model = RoleModel
    extra = 0


@admin.register(MentoringForm)
class MentoringFormAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "order"]
    list_filter = ["organisation"]
    inlines = [RoleModelInline]
