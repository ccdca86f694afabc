"""The administrator applies a reorganisation: choose the old units, successors and date, see what is still open
in the old units, decide where each item goes (a merger decides by itself), then apply (one service call)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from nominations.services import reorganisation

from ..forms import administration as forms
from .administration import _add_errors, _issuers


def reorganise(request):
    """GET: the empty form. POST "preview": the open items and their choices. POST "apply": the reorganisation."""
    issuers = _issuers(request.user)
    form = forms.ReorganiseForm(request.POST or None, issuers=issuers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        units = {"old_units": list(data["old_units"]), "successors": list(data["successors"])}
        try:
            reorganisation.check(actor=request.user, effective=data["effective"], **units)
            form.add_items(reorganisation.plan(effective=data["effective"], **units), units["successors"])
            if "apply" in request.POST:
                reorganisation.apply(
                    actor=request.user,
                    effective=data["effective"],
                    decisions=form.decisions(),
                    reason=data["reason"],
                    **units,
                )
                messages.success(request, _("Đã áp dụng sắp xếp đơn vị."))
                return redirect("administration:units")
        except ValidationError as error:
            _add_errors(form, error)
    return render(
        request,
        "workflow/admin_reorganise.html",
        {"form": form, "title": _("Sắp xếp lại đơn vị (sáp nhập, chia tách)"), "planned": bool(form.items)},
    )
