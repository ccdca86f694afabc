"""The API's side of the step tables (``workflow.steps``): JSON in, form errors out.

A step is completed over the API with the very form and ``perform`` of the
page. This module only turns a JSON body ``{"decision", "comment",
"password", "items": {"<id>": {"choice", "note"}}}`` into the form's fields
(``decision``, ``comment``, ``password`` and per-item fields:
``choice_<id>``/``note_<id>`` for nominations, ``item_<id>`` for ballot items,
``strike_<id>``/``reason_<id>`` or ``remove`` for decision items), names the
form's errors by API path (``items.<id>.choice``), and describes what a client
must send.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms as django_forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ErrorDetail, ValidationError
from viewflow.workflow import flow

from ..steps import Step, step_for
from . import errors
from .ballot import ballot_reading

# Per-item form field prefix → API key under items.<id>.
ITEM_FIELDS = {"choice": "choice", "note": "note", "item": "choice", "strike": "choice", "reason": "note"}
KEEP, STRIKE, REMOVE = "keep", "strike", "remove"


def _choice_and_note(choice="choice_{}", note="note_{}") -> Callable:
    def fields(pk, item) -> dict:
        data = {choice.format(pk): item.get("choice", "")}
        if note:
            data[note.format(pk)] = item.get("note", "")
        return data

    return fields


def _strike(pk, item) -> dict:
    return {f"strike_{pk}": item.get("choice") == STRIKE, f"reason_{pk}": item.get("note", "")}


def _removed(payload) -> dict:
    return {"remove": [pk for pk, item in (payload.get("items") or {}).items() if item.get("choice") == REMOVE]}


@dataclass(frozen=True)
class Body:
    """How a step's JSON items become its form's fields (the default: one choice and one note per nomination)."""

    item_fields: Callable = field(default=_choice_and_note())  # (id, item) -> form data of one item
    whole_fields: Callable = field(default=lambda payload: {})  # (payload) -> form data built from all items
    item_choices: tuple = ()  # the choices of items.<id>.choice, when no form field lists them
    notes: bool = True  # whether items.<id>.note is read


BODIES = {
    "vote": Body(_choice_and_note("item_{}", None), notes=False),
    # The page asks to tick a confirmation after naming who has not voted; a client calling "complete" on
    # this task has made that choice already, so the API ticks it.
    "close_voting": Body(whole_fields=lambda payload: {"confirm": True}),
    "sign": Body(_strike, item_choices=((KEEP, gettext_lazy("Giữ")), (STRIKE, gettext_lazy("Gạch tên")))),
    "redraft": Body(
        lambda pk, item: {},
        _removed,
        item_choices=((KEEP, gettext_lazy("Giữ")), (REMOVE, gettext_lazy("Bỏ khỏi dự thảo"))),
        notes=False,
    ),
}


def step_of(task) -> Step | None:
    """The step a client completes for ``task`` (None for a start, or a node no person completes)."""
    node = task.flow_task
    return None if isinstance(node, flow.Start) else step_for(node)


def _body(activation) -> Body:
    return BODIES.get(activation.flow_task.name, Body())


def api_field(name: str) -> str:
    """Form field name → API field path (``choice_12``/``item_12`` → ``items.12.choice``)."""
    kind, _sep, pk = name.partition("_")
    if name == "remove":
        return "items"
    return f"items.{pk}.{ITEM_FIELDS[kind]}" if kind in ITEM_FIELDS and pk.isdigit() else name


def _keys(kwargs: dict) -> list:
    """The objects the form asks one choice for (nominations, ballot or decision items)."""
    return list(kwargs.get("nominations") or kwargs.get("items") or [])


def form_data(body: Body, payload: dict) -> dict:
    data = {"comment": payload.get("comment", "")}
    for name in ("decision", "password"):
        if name in payload:
            data[name] = payload[name]
    for pk, item in (payload.get("items") or {}).items():
        data.update(body.item_fields(pk, item))
    return {**data, **body.whole_fields(payload)}


def _check_items(body: Body, payload: dict, keys: list) -> None:
    errors_by_path = {}
    for pk in sorted(set(payload.get("items") or {}) - {str(obj.pk) for obj in keys}):
        errors_by_path[f"items.{pk}"] = [ErrorDetail(_("Nội dung này không chờ ý kiến ở bước này."), "unknown_item")]
    allowed = {value for value, _label in body.item_choices}
    for pk, item in (payload.get("items") or {}).items():
        if allowed and item.get("choice") not in allowed:
            errors_by_path[f"items.{pk}.choice"] = [ErrorDetail(_("Lựa chọn không hợp lệ."), "invalid_choice")]
    if errors_by_path:
        raise ValidationError(errors_by_path)


def bind(step: Step, activation, payload: dict, user=None) -> django_forms.Form:
    """The step's form bound to ``payload``, valid, or a 400 with the form's errors."""
    body, kwargs = _body(activation), step.form_kwargs(activation, user)
    _check_items(body, payload, _keys(kwargs))
    form = step.form_class(data=form_data(body, payload), **kwargs)
    if not form.is_valid():
        raise errors.from_django(DjangoValidationError(form.errors.as_data()), rename=api_field)
    return form


def _item_choices(body: Body, form, keys) -> list:
    if body.item_choices or not keys:
        return list(body.item_choices)
    name = next(iter(body.item_fields(str(keys[0].pk), {})))
    return list(form.fields[name].choices)


def describe(step: Step, activation) -> dict:
    """What a client must send to complete the step: the form's choices and the items to decide on."""
    body, kwargs = _body(activation), step.form_kwargs(activation, None)
    form, keys = step.form_class(**kwargs), _keys(kwargs)
    decision = form.fields.get("decision")
    described = {
        "decisions": [{"value": v, "label": str(label)} for v, label in decision.choices] if decision else [],
        "item_choices": [{"value": v, "label": str(label)} for v, label in _item_choices(body, form, keys)],
        "items": [{"id": obj.pk, "label": str(obj)} for obj in keys],
        "notes": body.notes and bool(keys),
        "password": "password" in form.fields,
    }
    if getattr(activation.flow_task, "name", "") == "vote":
        described["ballot"] = ballot_reading(activation)
    return described
