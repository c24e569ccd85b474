from django.contrib import admin

from nastavnik.programmes.models import Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """For the site administrator's support work; organisations use the programme pages."""

    list_display = ["organisation", "academic_year", "status", "approved_on"]
    list_filter = ["status", "academic_year"]
    search_fields = ["organisation__short_name"]
    readonly_fields = [f.name for f in Programme._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
