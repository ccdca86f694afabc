"""Forms of the council session: opening, ballots, recusal, written votes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from nominations.models import BallotChoice, Campaign, Council, CouncilMember, Nomination
from nominations.selectors import ready_for_council
from nominations.services.council import on_open_session, voting_members

from .. import permissions as perms
from ..choices import RevoteDecision
from ..form_layout import FormLayout


def eligible_nominations(council: Council):
    """Nominations that passed appraisal, in dossiers whose appraisal is over, on no session still open."""
    waiting = ready_for_council(Nomination.objects.filter(submission__campaign__issuer=council.issuer))
    return waiting.exclude(pk__in=on_open_session(Nomination.objects.all()).values("pk")).select_related(
        "candidate", "award_type", "submission__unit"
    )


def agenda_label(nomination: Nomination) -> str:
    return f"{nomination.candidate} – {nomination.award_type} ({nomination.submission.unit})"


class OpenSessionForm(forms.Form):
    layout = FormLayout()
    council = forms.ModelChoiceField(label=_("Hội đồng"), queryset=Council.objects.none())
    campaign = forms.ModelChoiceField(label=_("Phong trào"), queryset=Campaign.objects.none())
    title = forms.CharField(label=_("Tên phiên họp"), max_length=255)
    held_on = forms.DateField(label=_("Ngày họp"), initial=timezone.localdate)
    place = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)
    nominations = forms.ModelMultipleChoiceField(
        label=_("Chương trình (các đề nghị đạt thẩm định, cùng một hình thức)"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    present = forms.ModelMultipleChoiceField(
        label=_("Thành viên có mặt"), queryset=CouncilMember.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        councils = perms.councils_managed_by(user)
        self.fields["council"].queryset = councils
        self.fields["campaign"].queryset = Campaign.objects.filter(issuer__council__in=councils)
        council = councils.first()
        if council is not None:
            self.fields["nominations"].queryset = eligible_nominations(council)
            self.fields["nominations"].label_from_instance = agenda_label
            self.fields["present"].queryset = voting_members(council, timezone.localdate())


# Every ballot field is a shallow copy of this one: building 500 ChoiceFields cost more than the rest of a ballot.
_ITEM_FIELD = forms.ChoiceField(choices=BallotChoice.choices, widget=forms.RadioSelect)


def _item_label(form, name: str) -> str:
    return form.item_label(name)


_lazy_label = lazy(_item_label, str)


class BallotForm(forms.Form):
    """One choice per agenda item the member votes on, in fields ``item_<pk>``.

    ``items`` are ``council.BallotRow``s. The ballot page writes the radio inputs itself
    (workflow/_ballot_form.html) from ``rows()``.
    """

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        # ``items``: BallotRows (read when shown: a ballot sent needs only the ids) or a list of rows.
        self.items = items
        self._item_labels = None  # {field name: item label}, read when a field's label is first shown
        self.item_ids = items.ids() if hasattr(items, "ids") else [item.pk for item in items]
        # One shared field for every item, never copied nor labelled (issue 18: a 500-item ballot spent most of its
        # form time copying fields): the page writes each item's label from rows(), the API its ids, and
        # _clean_fields checks the values itself. The entries stay so that errors and the API name each item.
        self.fields.update(dict.fromkeys((f"item_{pk}" for pk in self.item_ids), _ITEM_FIELD))

    def __getitem__(self, name):
        """An item's field is labelled with its item ("1. candidate – unit", as the ballot page's legend), read
        only when shown (a lazy label: sending a ballot reads no row for it). The shared field has no label of
        its own, which Django would show as "Item 12" (the written-ballot page, errors)."""
        bound = super().__getitem__(name)
        if bound.field is _ITEM_FIELD:
            bound.label = _lazy_label(self, name)
        return bound

    def item_label(self, name: str) -> str:
        if self._item_labels is None:
            self._item_labels = {f"item_{item.pk}": item.label for item in self.items}
        return self._item_labels.get(name, name)

    @property
    def media(self):
        return forms.Media()  # radio buttons need no assets; summing 500 widgets' media is not free

    @property
    def choice_labels(self) -> dict:
        """{value: label}, translated once for the whole page (BallotChoice must match workflow/_ballot_form.html)."""
        return {value: str(label) for value, label in BallotChoice.choices}

    def rows(self) -> list[tuple]:
        """(field name, label, value sent, errors) per item, for the page's plain loop."""
        data, errors = (self.data, self.errors) if self.is_bound else ({}, {})
        rows = []
        for item in self.items:
            name = f"item_{item.pk}"
            rows.append((name, item.label, data.get(name), errors.get(name)))
        return rows

    def choices(self) -> dict:
        return {pk: self.cleaned_data[f"item_{pk}"] for pk in self.item_ids}

    def _clean_fields(self):
        """The items' choices checked against one set, with the field's own messages: a 500-item ballot does not
        run 500 fields' widget, to_python and validators (Django's loop still cleans the other fields)."""
        allowed, messages = {value for value, _label in BallotChoice.choices}, _ITEM_FIELD.error_messages
        items = [f"item_{pk}" for pk in self.item_ids]
        for name in items:
            value = self.data.get(name)
            if value in allowed:
                self.cleaned_data[name] = value
            elif value in (None, ""):
                self.add_error(name, ValidationError(messages["required"], code="required"))
            else:
                error = ValidationError(messages["invalid_choice"], code="invalid_choice", params={"value": value})
                self.add_error(name, error)
        others = {name: field for name, field in self.fields.items() if not name.startswith("item_")}
        fields, self.fields = self.fields, others
        try:
            super()._clean_fields()
        finally:
            self.fields = fields


class WrittenBallotForm(BallotForm):
    member = forms.ModelChoiceField(label=_("Thành viên vắng mặt gửi phiếu"), queryset=CouncilMember.objects.none())

    def __init__(self, *args, absent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = absent
        self.order_fields(["member"])


class RecusalForm(forms.Form):
    reason = forms.CharField(label=_("Lý do không tham gia biểu quyết"), max_length=255)


class CloseVotingForm(forms.Form):
    layout = FormLayout()
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận kết thúc biểu quyết ngay: thành viên chưa bỏ phiếu sẽ không bỏ phiếu được nữa."),
        error_messages={"required": _("Đánh dấu ô xác nhận để kết thúc biểu quyết.")},
    )


class RevoteForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Các nội dung có số phiếu ngang nhau hoặc chưa đủ phiếu"),
        widget=forms.RadioSelect,
        choices=RevoteDecision.choices,
    )
