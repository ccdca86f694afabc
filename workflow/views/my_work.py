"""'Việc của tôi' and the landing after login."""

from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic

from .. import deadlines, my_work
from .. import permissions as perms

# The filter's choices: the steps people look for first (the landing pages), then everything.
FILTERS = [
    ("", _("Tất cả công việc")),
    ("decision.sign", _("Quyết định chờ ký")),
    ("nomination.review", _("Hồ sơ chờ thẩm định")),
    ("council.vote", _("Phiếu biểu quyết đang mở")),
]
# The deadline filter (?han=): overdue, or due within N working days (any N is accepted in the address).
DUE_FILTERS = [
    ("", _("Mọi thời hạn")),
    (deadlines.OVERDUE, _("Quá hạn")),
    ("3", _("Đến hạn trong 3 ngày làm việc")),
    ("5", _("Đến hạn trong 5 ngày làm việc")),
    ("10", _("Đến hạn trong 10 ngày làm việc")),
]
PER_PAGE = 50
SORTS = [("", _("Chờ lâu nhất trước")), ("han", _("Hạn sớm nhất trước"))]


class MyWorkView(generic.TemplateView):
    template_name = "workflow/my_work.html"

    def get_context_data(self, **kwargs):
        chosen = self.request.GET.get("viec", "")
        if chosen not in dict(FILTERS):
            chosen = ""
        due = self.request.GET.get("han", "")
        due = due if deadlines.due_predicate(due) else ""
        sort = "han" if self.request.GET.get("sap-xep") == "han" else ""
        # Only the page's rows are loaded when no deadline decides the order (workflow.my_work.page), and only
        # they are written out, each prepared in Python (workflow.my_work.Row.prepared).
        page, rows = my_work.page(
            self.request.user, self.request.GET.get("page"), chosen, due=due, by_due=bool(sort), per_page=PER_PAGE
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        csrf, take, work = get_token(self.request), escape(gettext("Nhận việc")), escape(gettext("Làm việc"))
        # Looked up or translated once for the page's rows (workflow.my_work.Row.prepared).
        per_page = (timezone.get_current_timezone(), timezone.now(), my_work.row_labels(), my_work.age_strings())
        return super().get_context_data(
            rows=[my_work.row_html(row.prepared(*per_page), csrf, take, work) for row in rows],
            page_obj=page,
            page_query=query.urlencode(),
            filters=FILTERS,
            chosen=chosen,
            chosen_label=dict(FILTERS)[chosen],
            due_filters=DUE_FILTERS,
            due=due,
            sorts=SORTS,
            sort=sort,
            **kwargs,
        )


def landing(request):
    """The site's root: each role lands where its work is."""
    perms.prime_queue_cache(request.user)
    return redirect(my_work.landing_url(request.user))
