"""The administrator's council pages: each issuer's council with its seats on a day; create a council, seat a
person, end a seat. Each write is one service of ``nominations.services.council_seats`` (the API calls the same).
Someone administering no committee gets 403; a council or seat outside their committees 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import generic
from django.views.decorators.http import require_POST

from nominations.models import Council, CouncilMember
from nominations.services import council_seats

from ..forms import administration as forms
from .administration import _AdminFormView, _in_trees, _issuers


def councils_of(issuers):
    return Council.objects.filter(_in_trees(issuers, "issuer__path")).select_related("issuer").order_by("issuer__path")


class CouncilListView(generic.TemplateView):
    """Who sits on each council on a day (today by default)."""

    template_name = "workflow/admin_councils.html"

    def get_context_data(self, **kwargs):
        issuers = _issuers(self.request.user)
        form = forms.DayForm(self.request.GET or None)
        day = timezone.localdate()
        if form.is_valid() and form.cleaned_data["day"]:
            day = form.cleaned_data["day"]
        councils = list(councils_of(issuers))
        seats = council_seats.seats_on(councils, day)
        councils = [(council, seats[council.pk]) for council in councils]
        return super().get_context_data(
            councils=councils, day=day, day_form=form, end_form=forms.EndSeatForm(), **kwargs
        )


class CouncilCreateView(_AdminFormView):
    form_class = forms.CouncilForm
    title = _("Thành lập Hội đồng thi đua – khen thưởng")
    done = _("Đã thành lập hội đồng.")
    back = "administration:councils"

    def perform(self, data):
        council_seats.council_create(actor=self.request.user, **data)


class SeatCreateView(_AdminFormView):
    form_class = forms.SeatForm
    title = _("Bổ nhiệm thành viên Hội đồng")
    done = _("Đã bổ nhiệm thành viên hội đồng.")
    back = "administration:councils"

    def dispatch(self, request, *args, **kwargs):
        self.issuers = _issuers(request.user)
        self.council = get_object_or_404(councils_of(self.issuers), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(unit=self.council.issuer, **kwargs)

    def perform(self, data):
        council_seats.seat_add(council=self.council, actor=self.request.user, **data)


@require_POST
def seat_end(request, pk):
    issuers = _issuers(request.user)
    seat = get_object_or_404(CouncilMember.objects.filter(council__in=councils_of(issuers)), pk=pk)
    form = forms.EndSeatForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần nhập ngày cuối cùng giữ ghế (dd/mm/yyyy)."))
        return redirect("administration:councils")
    try:
        council_seats.seat_end(seat=seat, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Đã kết thúc nhiệm vụ thành viên hội đồng."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("administration:councils")
