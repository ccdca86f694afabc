"""The person's notifications: the list, and marking them read."""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from .models import Notification, NotificationPreference
from .services import mark_read


class NotificationListView(ListView):
    template_name = "notifications/list.html"
    paginate_by = 50

    def get_queryset(self):
        return Notification.objects.filter(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Thông báo")
        context["daily_digest"] = NotificationPreference.objects.filter(
            user=self.request.user, daily_digest=True
        ).exists()
        return context


def mark_read_view(request, pk=None):
    """One notification (``pk``, the person's own only: 404 otherwise) or all of them; then back to the list."""
    if pk is not None:
        get_object_or_404(Notification, pk=pk, user=request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    ids = None if pk is None else [pk]
    mark_read(user=request.user, ids=ids)
    if pk is not None:
        target = Notification.objects.filter(user=request.user, pk=pk).values_list("url", flat=True).first()
        if target and request.POST.get("open"):
            return redirect(target)
    return redirect("notifications:list")


@require_POST
def digest_view(request):
    digest = request.POST.get("daily_digest") == "1"
    NotificationPreference.objects.update_or_create(user=request.user, defaults={"daily_digest": digest})
    messages.success(
        request,
        _("Đã chọn nhận thư tổng hợp mỗi ngày một lần.") if digest else _("Đã chọn nhận thư ngay khi có thông báo."),
    )
    return redirect("notifications:list")
