"""'Việc của tôi' and the landing after login."""

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import generic

from .. import my_work
from .. import permissions as perms

# The filter's choices: the steps people look for first (the landing pages), then everything.
FILTERS = [
    ("", _("Tất cả công việc")),
    ("decision.sign", _("Quyết định chờ ký")),
    ("nomination.review", _("Hồ sơ chờ thẩm định")),
    ("council.vote", _("Phiếu biểu quyết đang mở")),
]


class MyWorkView(generic.TemplateView):
    template_name = "workflow/my_work.html"

    def get_context_data(self, **kwargs):
        chosen = self.request.GET.get("viec", "")
        if chosen not in dict(FILTERS):
            chosen = ""
        rows = my_work.rows(self.request.user, chosen)
        return super().get_context_data(
            rows=rows,
            filters=FILTERS,
            chosen=chosen,
            chosen_label=dict(FILTERS)[chosen],
            has_deadlines=any(row.deadline for row in rows),
            **kwargs,
        )


def landing(request):
    """The site's root: each role lands where its work is."""
    perms.prime_queue_cache(request.user)
    return redirect(my_work.landing_url(request.user))
