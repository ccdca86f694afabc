from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from .models import (
    AwardRecord,
    AwardRuleSet,
    AwardType,
    BaseSalary,
    CalendarDay,
    Campaign,
    CampaignAward,
    Candidate,
    ContentArea,
    Membership,
    Nomination,
    OrgUnit,
    StepDeadline,
    Submission,
    UnitQuota,
)


@admin.register(OrgUnit)
class OrgUnitAdmin(GuardedModelAdmin):
    list_display = ["name", "code", "kind", "level", "parent", "valid_from", "valid_to", "successor"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "successor"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "title", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "unit__name"]
    autocomplete_fields = ["unit"]


class RuleSetInline(admin.StackedInline):
    model = AwardRuleSet
    extra = 0


@admin.register(AwardType)
class AwardTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "form"]
    inlines = [RuleSetInline]


@admin.register(BaseSalary)
class BaseSalaryAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "amount", "legal_basis"]


class ContentAreaInline(admin.TabularInline):
    model = ContentArea
    extra = 0


class CampaignAwardInline(admin.TabularInline):
    model = CampaignAward
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "issuer", "period_start", "period_end", "nomination_deadline", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    inlines = [ContentAreaInline, CampaignAwardInline]


@admin.register(UnitQuota)
class UnitQuotaAdmin(admin.ModelAdmin):
    list_display = ["offer", "unit", "quota"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "gender", "birth_year", "ethnicity", "unit", "direct_worker"]
    list_filter = ["kind", "gender", "direct_worker"]
    search_fields = ["name", "search_name"]


@admin.register(AwardRecord)
class AwardRecordAdmin(admin.ModelAdmin):
    list_display = ["candidate", "award_type", "decision_number", "decision_date", "unit_name", "revoked_at"]
    readonly_fields = [f.name for f in AwardRecord._meta.fields]

    def has_add_permission(self, request):
        return False


class ReadOnlyWorkflowAdmin(admin.ModelAdmin):
    """Workflow-owned rows change only through services, which write the audit trail."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyWorkflowAdmin):
    list_display = ["title", "unit", "campaign", "status", "submitted_at"]
    list_filter = ["status"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyWorkflowAdmin):
    list_display = ["candidate", "award_type", "submission", "status"]
    list_filter = ["status"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(StepDeadline)
class StepDeadlineAdmin(admin.ModelAdmin):
    list_display = ["step", "issuer_level", "working_days", "valid_from", "valid_to", "confirmed", "legal_basis"]
    list_filter = ["step", "issuer_level", "confirmed"]
