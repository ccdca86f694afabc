"""Forms of the council session: opening, ballots, recusal, written votes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
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
_CHOICES = frozenset(BallotChoice.values)


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
        self._own_fields = list(self.fields)  # the form's own (the written ballot's member), cleaned by Django
        if self.is_bound and hasattr(items, "kept_ids"):
            # A ballot sent is checked against the ids kept in the cache for its session (issue 18: one statement
            # fewer per ballot), and against the ids read anew only if it does not match them (_clean_fields).
            self._set_items(items.kept_ids())
        else:
            self._set_items(items.ids() if hasattr(items, "ids") else [item.pk for item in items])

    def _set_items(self, ids: list[int]) -> None:
        self.item_ids = ids
        self._item_names = [f"item_{pk}" for pk in ids]
        # One shared field for every item, never copied nor labelled (issue 18: a 500-item ballot spent most of its
        # form time copying fields): the page writes each item's label from rows(), the API its ids, and
        # _clean_fields checks the values itself. The entries stay so that errors and the API name each item.
        self.fields = {name: self.fields[name] for name in self._own_fields}
        self.fields.update(dict.fromkeys(self._item_names, _ITEM_FIELD))

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
        return {pk: self.cleaned_data[name] for pk, name in zip(self.item_ids, self._item_names, strict=True)}

    def _values(self) -> list:
        """The value sent for each item, as ``data.get(name)`` gives it: a QueryDict's lists are read directly (its
        ``get`` costs two calls per field, 500 per ballot)."""
        if isinstance(self.data, MultiValueDict):
            lists = [dict.get(self.data, name) for name in self._item_names]
            return [values[-1] if values else None for values in lists]
        return [self.data.get(name) for name in self._item_names]

    def _clean_fields(self):
        """The items' choices checked against one set, with the field's own messages: a 500-item ballot does not
        run 500 fields' widget, to_python and validators (Django's loop still cleans the other fields)."""
        values = self._values()
        if not _CHOICES.issuperset(values) and getattr(self.items, "kept", False):
            # Checked against the ids kept for the session, which may be out of date: against the ids read now.
            self._set_items(self.items.ids())
            values = self._values()
        if _CHOICES.issuperset(values):
            self.cleaned_data.update(zip(self._item_names, values, strict=True))
        else:
            messages = _ITEM_FIELD.error_messages
            for name, value in zip(self._item_names, values, strict=True):
                if value in _CHOICES:
                    self.cleaned_data[name] = value
                elif value in (None, ""):
                    self.add_error(name, ValidationError(messages["required"], code="required"))
                else:
                    error = ValidationError(messages["invalid_choice"], code="invalid_choice", params={"value": value})
                    self.add_error(name, error)
        fields, self.fields = self.fields, {name: self.fields[name] for name in self._own_fields}
        try:
            super()._clean_fields()
        finally:
            self.fields = fields

    def check_again(self) -> bool:
        """After the service refused the ballot as not matching the member's items: if it was checked against the
        ids kept in the cache, check it again against the ids read now; True if it passes (to be sent again)."""
        if not getattr(self.items, "kept", False):
            return False
        self._set_items(self.items.ids())
        self.full_clean()
        return not self.errors


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
