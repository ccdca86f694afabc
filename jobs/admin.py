from django.contrib import admin

from .models import OutboxJob


@admin.register(OutboxJob)
class OutboxJobAdmin(admin.ModelAdmin):
    """Read-only: where a person looks for a job that never finished (its last error, how often it was sent)."""

    list_display = ("task", "args", "created_at", "sent_at", "attempts", "done_at", "last_error")
    list_filter = (("done_at", admin.EmptyFieldListFilter), "task")
    readonly_fields = [f.name for f in OutboxJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
