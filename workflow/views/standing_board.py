"""The standing body's board of open dossiers, its Excel export, and the way in from the side menu."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views import generic

from nominations.models import Campaign, OrgUnit

from .. import deadlines, standing_board
from ..downloads import respond
from .my_work import DUE_FILTERS


def _number(request, name):
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _filters(request) -> dict:
    due = request.GET.get("han", "")
    return {
        "unit": _number(request, "unit"),
        "campaign": _number(request, "campaign"),
        "due": due if deadlines.due_predicate(due) else "",
    }


def access_board(user, pk) -> OrgUnit:
    """An issuing body whose board ``user`` reads: its standing body and committee roles; anyone else 403."""
    issuer = OrgUnit.objects.filter(pk=pk).first()
    if issuer is None:
        raise Http404
    if not standing_board.may_read(user, issuer):
        raise PermissionDenied
    return issuer


def boards(request):
    """The side menu's entry: the first issuing body the user oversees (the page lists the others)."""
    issuers = standing_board.issuers_of(request.user)
    if not issuers:
        raise PermissionDenied
    return redirect("viec-cua-toi:board", issuers[0].pk)


class BoardView(generic.TemplateView):
    template_name = "workflow/standing_board.html"

    def get_context_data(self, **kwargs):
        issuer = access_board(self.request.user, kwargs["pk"])
        filters = _filters(self.request)
        rows = standing_board.board(issuer, **filters)
        return super().get_context_data(
            issuer=issuer,
            rows=rows,
            issuers=standing_board.issuers_of(self.request.user),
            campaigns=Campaign.objects.filter(issuer=issuer).order_by("-pk").values_list("pk", "title"),
            units=sorted({(row.submission.unit_id, str(row.submission.unit)) for row in rows}, key=lambda u: u[1]),
            due_filters=DUE_FILTERS,
            query=self.request.GET.urlencode(),
            **filters,
            **kwargs,
        )


def board_export(request, pk):
    issuer = access_board(request.user, pk)
    return respond(standing_board.board_xlsx(issuer, standing_board.board(issuer, **_filters(request))))
