from django.contrib import admin

from nastavnik.orgs.models import (
    AcademicYear,
    Membership,
    Municipality,
    Organisation,
    Region,
    RegionalOperator,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    list_filter = ["region"]
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "kind", "municipality", "timezone"]
    list_filter = ["kind", "municipality__region"]
    search_fields = ["name", "short_name", "inn"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ["label", "starts_on", "ends_on"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(RegionalOperator)
class RegionalOperatorAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "municipality"]
    autocomplete_fields = ["user"]
