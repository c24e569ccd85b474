from django.contrib import admin

from nastavnik.orders.models import Order


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """For the site administrator's support work; organisations use the register pages."""

    list_display = ["number", "date", "organisation", "kind", "status"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["number", "title", "organisation__short_name"]
    readonly_fields = [f.name for f in Order._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
