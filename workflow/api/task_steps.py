"""What each human step of the flows takes and does.

node name → Step(form class, form kwargs, step call). The form classes and
their kwargs are the UI's (workflow.forms, council_forms, decision_forms,
with the choices and statuses of the views in workflow/views/), so a JSON
body is validated exactly as the page's form, and ``perform`` calls the same
``workflow.steps`` / ``council_steps`` / ``decision_steps`` function.

A JSON body ``{"decision", "comment", "password", "items": {"<id>": {"choice",
"note"}}}`` becomes the form's fields: ``decision``, ``comment``, ``password``
and per-item fields (``choice_<id>``/``note_<id>`` for nominations,
``item_<id>`` for ballot items, ``strike_<id>``/``reason_<id>`` or ``remove``
for decision items); form errors come back under ``items.<id>.choice``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms as django_forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ErrorDetail, ValidationError

from nominations.models import CouncilMember
from nominations.services import council

from .. import council_forms, council_steps, decision_forms, decision_steps, forms, steps
from ..views import council as council_ui
from ..views import tasks as ui
from . import errors

# Per-item form field prefix → API key under items.<id>.
ITEM_FIELDS = {"choice": "choice", "note": "note", "item": "choice", "strike": "choice", "reason": "note"}


def _no_kwargs(activation) -> dict:
    return {}


def _choices(choices) -> Callable:
    return lambda activation: {"choices": choices}


def _nominations(statuses) -> Callable:
    def kwargs(activation) -> dict:
        return {"nominations": steps.dossier_nominations(activation, statuses)}

    return kwargs


def _member(activation) -> CouncilMember:
    return CouncilMember.objects.get(pk=activation.task.data["member_id"])


def _ballot_items(activation) -> dict:
    return {"items": council.ballot_rows(council.ballot_items(activation.process.artifact, _member(activation)))}


def _decision_items(activation) -> dict:
    decision = activation.process.artifact
    return {"items": decision.items.select_related("nomination__candidate", "nomination__submission__unit")}


def _choice_and_note(choice="choice_{}", note="note_{}") -> Callable:
    def fields(pk, item) -> dict:
        data = {choice.format(pk): item.get("choice", "")}
        if note:
            data[note.format(pk)] = item.get("note", "")
        return data

    return fields


def _strike(pk, item) -> dict:
    return {f"strike_{pk}": item.get("choice") == "strike", f"reason_{pk}": item.get("note", "")}


def _removed(payload) -> dict:
    return {"remove": [pk for pk, item in (payload.get("items") or {}).items() if item.get("choice") == "remove"]}


@dataclass(frozen=True)
class Step:
    form_class: type[django_forms.Form]
    perform: Callable  # (activation, actor, valid form) -> dict | None, the result shown to the caller
    form_kwargs: Callable = field(default=_no_kwargs)  # (activation) -> dict
    item_fields: Callable = field(default=_choice_and_note())  # (id, item) -> form data of one item
    whole_fields: Callable = field(default=lambda payload: {})  # (payload) -> form data built from all items
    item_choices: tuple = ()  # the choices of items.<id>.choice, when no form field lists them
    notes: bool = True  # whether items.<id>.note is read


def _send_to_head(activation, actor, form):
    steps.send_to_head(activation, actor=actor, **form.cleaned_data)


def _head_decide(activation, actor, form):
    data = form.cleaned_data
    steps.head_decide(activation, actor=actor, submit=data["decision"] == "submit", comment=data["comment"])


def _ward_decide(activation, actor, form):
    data = form.cleaned_data
    steps.ward_decide(activation, actor=actor, endorse=data["decision"] == "endorse", comment=data["comment"])


def _appraise(activation, actor, form):
    steps.appraise(activation, actor=actor, decisions=form.per_nomination(), comment=form.cleaned_data["comment"])


def _complete(activation, actor, form):
    steps.complete(activation, actor=actor, **form.cleaned_data)


def _cast(activation, actor, form):
    return {"receipt": council_steps.cast(activation, member=_member(activation), choices=form.choices())}


def _close_voting(activation, actor, form):
    """Closing early: the flow's join cancels the ballots not cast."""
    council_steps.check_ballot_box(activation, actor=actor)


def _decide_revote(activation, actor, form):
    council_steps.decide_revote(activation, actor=actor, revote=form.cleaned_data["decision"] == "revote")


def _sign(activation, actor, form):
    data = form.cleaned_data
    if data["decision"] == "sign":
        decision_steps.sign(
            activation, actor=actor, password=data["password"], struck=form.struck(), comment=data["comment"]
        )
    else:
        decision_steps.give_back(activation, actor=actor, comment=data["comment"])


def _redraft(activation, actor, form):
    remove = [int(pk) for pk in form.cleaned_data["remove"]]
    decision_steps.redraft(activation, actor=actor, remove=remove, comment=form.cleaned_data["comment"])


KEEP = ("keep", gettext_lazy("Giữ"))


STEPS = {
    # NominationFlow
    "prepare": Step(forms.CommentForm, _send_to_head),
    "head_approval": Step(forms.DecisionForm, _head_decide, _choices(ui.HeadApprovalView.choices)),
    "ward_review": Step(forms.DecisionForm, _ward_decide, _choices(ui.WardReviewView.choices)),
    "review": Step(forms.ReviewForm, _appraise, _nominations(ui.ReviewView.statuses)),
    "complete": Step(forms.CommentForm, _complete),
    # CouncilFlow
    "vote": Step(council_forms.BallotForm, _cast, _ballot_items, _choice_and_note("item_{}", None), notes=False),
    # The page asks to tick a confirmation after naming who has not voted; a client calling "complete" on
    # this task has made that choice already, so the API ticks it.
    "close_voting": Step(
        council_ui.CloseVotingView.form_class, _close_voting, whole_fields=lambda payload: {"confirm": True}
    ),
    "second_round": Step(council_forms.RevoteForm, _decide_revote),
    # DecisionFlow
    "sign": Step(
        decision_forms.SignForm,
        _sign,
        _decision_items,
        _strike,
        item_choices=(KEEP, ("strike", gettext_lazy("Gạch tên"))),
    ),
    "redraft": Step(
        decision_forms.RedraftForm,
        _redraft,
        _decision_items,
        lambda pk, item: {},
        _removed,
        item_choices=(KEEP, ("remove", gettext_lazy("Bỏ khỏi dự thảo"))),
        notes=False,
    ),
}


def api_field(name: str) -> str:
    """Form field name → API field path (``choice_12``/``item_12`` → ``items.12.choice``)."""
    kind, _sep, pk = name.partition("_")
    if name == "remove":
        return "items"
    return f"items.{pk}.{ITEM_FIELDS[kind]}" if kind in ITEM_FIELDS and pk.isdigit() else name


def _keys(kwargs: dict) -> list:
    """The objects the form asks one choice for (nominations, ballot or decision items)."""
    return list(kwargs.get("nominations") or kwargs.get("items") or [])


def form_data(step: Step, payload: dict) -> dict:
    data = {"comment": payload.get("comment", "")}
    for name in ("decision", "password"):
        if name in payload:
            data[name] = payload[name]
    for pk, item in (payload.get("items") or {}).items():
        data.update(step.item_fields(pk, item))
    return {**data, **step.whole_fields(payload)}


def _check_items(step: Step, payload: dict, keys: list) -> None:
    errors_by_path = {}
    for pk in sorted(set(payload.get("items") or {}) - {str(obj.pk) for obj in keys}):
        errors_by_path[f"items.{pk}"] = [ErrorDetail(_("Nội dung này không chờ ý kiến ở bước này."), "unknown_item")]
    allowed = {value for value, _label in step.item_choices}
    for pk, item in (payload.get("items") or {}).items():
        if allowed and item.get("choice") not in allowed:
            errors_by_path[f"items.{pk}.choice"] = [ErrorDetail(_("Lựa chọn không hợp lệ."), "invalid_choice")]
    if errors_by_path:
        raise ValidationError(errors_by_path)


def bind(step: Step, activation, payload: dict) -> django_forms.Form:
    """The step's form bound to ``payload``, valid, or a 400 with the form's errors."""
    kwargs = step.form_kwargs(activation)
    _check_items(step, payload, _keys(kwargs))
    form = step.form_class(data=form_data(step, payload), **kwargs)
    if not form.is_valid():
        raise errors.from_django(DjangoValidationError(form.errors.as_data()), rename=api_field)
    return form


def _item_choices(step: Step, form, keys) -> list:
    if step.item_choices or not keys:
        return list(step.item_choices)
    name = next(iter(step.item_fields(str(keys[0].pk), {})))
    return list(form.fields[name].choices)


def describe(step: Step, activation) -> dict:
    """What a client must send to complete the step: the form's choices and the items to decide on."""
    kwargs = step.form_kwargs(activation)
    form, keys = step.form_class(**kwargs), _keys(kwargs)
    decision = form.fields.get("decision")
    return {
        "decisions": [{"value": v, "label": str(label)} for v, label in decision.choices] if decision else [],
        "item_choices": [{"value": v, "label": str(label)} for v, label in _item_choices(step, form, keys)],
        "items": [{"id": obj.pk, "label": str(obj)} for obj in keys],
        "notes": step.notes and bool(keys),
        "password": "password" in form.fields,
    }
