"""What each human step of the nomination flow takes and does.

node name → Step(form class, form kwargs, step call). The form classes and
their kwargs are the UI's (workflow.forms with the choices and statuses of
the views in workflow/views/tasks.py), so a JSON body is validated exactly as
the page's form, and ``perform`` calls the same ``workflow.steps`` function.

A JSON body ``{"decision", "comment", "items": {"<nomination id>": {"choice",
"note"}}}`` becomes the form's ``decision``, ``comment``, ``choice_<id>`` and
``note_<id>`` fields; form errors come back under ``items.<id>.choice``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms as django_forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework.exceptions import ErrorDetail, ValidationError

from .. import forms, steps
from ..views import tasks as ui
from . import errors


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


@dataclass(frozen=True)
class Step:
    form_class: type[django_forms.Form]
    perform: Callable  # (activation, actor, valid form) -> None
    form_kwargs: Callable = field(default=_no_kwargs)  # (activation) -> dict


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


def _record_council(activation, actor, form):
    results = {pk: (choice == "passed", note) for pk, (choice, note) in form.per_nomination().items()}
    steps.record_council(activation, actor=actor, results=results, comment=form.cleaned_data["comment"])


def _approve(activation, actor, form):
    data = form.cleaned_data
    struck = {pk: note for pk, (choice, note) in form.per_nomination().items() if choice == "strike"}
    steps.approve(
        activation, actor=actor, approve=data["decision"] == "approve", struck=struck, comment=data["comment"]
    )


STEPS = {
    "prepare": Step(forms.CommentForm, _send_to_head),
    "head_approval": Step(forms.DecisionForm, _head_decide, _choices(ui.HeadApprovalView.choices)),
    "ward_review": Step(forms.DecisionForm, _ward_decide, _choices(ui.WardReviewView.choices)),
    "review": Step(forms.ReviewForm, _appraise, _nominations(ui.ReviewView.statuses)),
    "complete": Step(forms.CommentForm, _complete),
    "council": Step(forms.CouncilForm, _record_council, _nominations(ui.CouncilView.statuses)),
    "approval": Step(forms.ApprovalForm, _approve, _nominations(ui.ApprovalView.statuses)),
}


def api_field(name: str) -> str:
    """Form field name → API field path (``choice_12`` → ``items.12.choice``)."""
    kind, _sep, pk = name.partition("_")
    return f"items.{pk}.{kind}" if kind in ("choice", "note") and pk.isdigit() else name


def form_data(payload: dict) -> dict:
    data = {"comment": payload.get("comment", "")}
    if "decision" in payload:
        data["decision"] = payload["decision"]
    for pk, item in (payload.get("items") or {}).items():
        data[f"choice_{pk}"] = item.get("choice", "")
        data[f"note_{pk}"] = item.get("note", "")
    return data


def bind(step: Step, activation, payload: dict) -> django_forms.Form:
    """The step's form bound to ``payload``, valid, or a 400 with the form's errors."""
    form = step.form_class(data=form_data(payload), **step.form_kwargs(activation))
    expected = {str(n.pk) for n in getattr(form, "nominations", [])}
    unknown = sorted(set(payload.get("items") or {}) - expected)
    if unknown:
        message = _("Đề nghị này không chờ ý kiến ở bước này.")
        raise ValidationError({f"items.{pk}": [ErrorDetail(message, code="unknown_nomination")] for pk in unknown})
    if not form.is_valid():
        raise errors.from_django(DjangoValidationError(form.errors.as_data()), rename=api_field)
    return form


def describe(step: Step, activation) -> dict:
    """What a client must send to complete the step: the form's choices and nominations."""
    form = step.form_class(**step.form_kwargs(activation))
    decision = form.fields.get("decision")
    nominations = getattr(form, "nominations", [])
    return {
        "decisions": [{"value": v, "label": str(label)} for v, label in decision.choices] if decision else [],
        "item_choices": [{"value": v, "label": str(label)} for v, label in form.choices] if nominations else [],
        "nominations": [{"id": n.pk, "label": str(n)} for n in nominations],
    }
