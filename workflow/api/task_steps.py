"""What each human step of the flows takes and does.

node name → Step(form class, form kwargs, step call). The form classes and
their kwargs are the UI's (workflow.forms and workflow.council_forms, with
the choices and statuses of the views in workflow/views/), so a JSON body is
validated exactly as the page's form, and ``perform`` calls the same
``workflow.steps`` / ``workflow.council_steps`` function.

A JSON body ``{"decision", "comment", "items": {"<id>": {"choice", "note"}}}``
becomes the form's ``decision``, ``comment`` and per-item fields
(``choice_<id>``/``note_<id>`` for nominations, ``item_<id>`` for ballot
items); form errors come back under ``items.<id>.choice``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms as django_forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework.exceptions import ErrorDetail, ValidationError

from nominations.models import CouncilMember
from nominations.services import council

from .. import council_forms, council_steps, forms, steps
from ..views import council as council_ui
from ..views import tasks as ui
from . import errors

ITEM_FIELDS = {"choice": "choice", "note": "note", "item": "choice"}  # form prefix → API key


def _no_kwargs(activation) -> dict:
    return {}


def _choices(choices) -> Callable:
    return lambda activation: {"choices": choices}


def _nominations(statuses) -> Callable:
    def kwargs(activation) -> dict:
        submission = activation.process.artifact
        nominations = submission.nominations.filter(status__in=statuses).select_related("candidate", "award_type")
        return {"nominations": nominations}

    return kwargs


def _member(activation) -> CouncilMember:
    return CouncilMember.objects.get(pk=activation.task.data["member_id"])


def _ballot_items(activation) -> dict:
    return {"items": council.ballot_items(activation.process.artifact, _member(activation))}


@dataclass(frozen=True)
class Step:
    form_class: type[django_forms.Form]
    perform: Callable  # (activation, actor, valid form) -> dict | None, the result shown to the caller
    form_kwargs: Callable = field(default=_no_kwargs)  # (activation) -> dict
    choice_field: str = "choice_{}"
    note_field: str | None = "note_{}"


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


def _approve(activation, actor, form):
    data = form.cleaned_data
    struck = {pk: note for pk, (choice, note) in form.per_nomination().items() if choice == "strike"}
    steps.approve(
        activation, actor=actor, approve=data["decision"] == "approve", struck=struck, comment=data["comment"]
    )


def _cast(activation, actor, form):
    receipt = council_steps.cast(activation, member=_member(activation), choices=form.choices())
    return {"receipt": receipt}


def _close_voting(activation, actor, form):
    """Closing early: the council flow's join cancels the ballots not cast."""


def _decide_revote(activation, actor, form):
    council_steps.decide_revote(activation, actor=actor, revote=form.cleaned_data["decision"] == "revote")


STEPS = {
    # NominationFlow
    "prepare": Step(forms.CommentForm, _send_to_head),
    "head_approval": Step(forms.DecisionForm, _head_decide, _choices(ui.HeadApprovalView.choices)),
    "ward_review": Step(forms.DecisionForm, _ward_decide, _choices(ui.WardReviewView.choices)),
    "review": Step(forms.ReviewForm, _appraise, _nominations(ui.ReviewView.statuses)),
    "complete": Step(forms.CommentForm, _complete),
    "approval": Step(forms.ApprovalForm, _approve, _nominations(ui.ApprovalView.statuses)),
    # CouncilFlow
    "vote": Step(council_forms.BallotForm, _cast, _ballot_items, choice_field="item_{}", note_field=None),
    "close_voting": Step(council_ui.CloseVotingView.form_class, _close_voting),
    "second_round": Step(council_forms.RevoteForm, _decide_revote),
}


def api_field(name: str) -> str:
    """Form field name → API field path (``choice_12``/``item_12`` → ``items.12.choice``)."""
    kind, _sep, pk = name.partition("_")
    return f"items.{pk}.{ITEM_FIELDS[kind]}" if kind in ITEM_FIELDS and pk.isdigit() else name


def _keys(form) -> list:
    """The objects the form asks one choice for (nominations, or ballot items)."""
    return list(getattr(form, "nominations", None) or getattr(form, "items", None) or [])


def form_data(step: Step, payload: dict) -> dict:
    data = {"comment": payload.get("comment", "")}
    if "decision" in payload:
        data["decision"] = payload["decision"]
    for pk, item in (payload.get("items") or {}).items():
        data[step.choice_field.format(pk)] = item.get("choice", "")
        if step.note_field:
            data[step.note_field.format(pk)] = item.get("note", "")
    return data


def bind(step: Step, activation, payload: dict) -> django_forms.Form:
    """The step's form bound to ``payload``, valid, or a 400 with the form's errors."""
    form = step.form_class(data=form_data(step, payload), **step.form_kwargs(activation))
    unknown = sorted(set(payload.get("items") or {}) - {str(obj.pk) for obj in _keys(form)})
    if unknown:
        message = _("Nội dung này không chờ ý kiến ở bước này.")
        raise ValidationError({f"items.{pk}": [ErrorDetail(message, code="unknown_item")] for pk in unknown})
    if not form.is_valid():
        raise errors.from_django(DjangoValidationError(form.errors.as_data()), rename=api_field)
    return form


def describe(step: Step, activation) -> dict:
    """What a client must send to complete the step: the form's choices and the items to decide on."""
    form = step.form_class(**step.form_kwargs(activation))
    decision = form.fields.get("decision")
    keys = _keys(form)
    item_field = form.fields[step.choice_field.format(keys[0].pk)] if keys else None
    return {
        "decisions": [{"value": v, "label": str(label)} for v, label in decision.choices] if decision else [],
        "item_choices": [{"value": v, "label": str(label)} for v, label in item_field.choices] if keys else [],
        "items": [{"id": obj.pk, "label": str(obj)} for obj in keys],
        "notes": bool(step.note_field) and bool(keys),
    }
