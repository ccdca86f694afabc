"""Every step form renders, through viewflow's Material renderer, only elements viewflow's frontend defines.

An element the frontend's JavaScript does not define (viewflow 2.4 maps CheckboxSelectMultiple to
<vf-field-checkbox-select>) is an empty box 0 px tall: nothing to tick and its error invisible. The
browser journey (tests/browser/test_journey.py) proves the same by clicking; this pins it per form.
"""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import viewflow
from django.contrib.auth import get_user_model
from django.template import Context, Template

from nominations.models import Council
from workflow.choices import HeadDecision
from workflow.forms import council as council_forms
from workflow.forms import decision as decision_forms
from workflow.forms import dossier as forms

JS = Path(viewflow.__file__).parent / "static" / "viewflow" / "js" / "viewflow.min.js"
DEFINED = set(re.findall(r"\"(vf-field-[a-z-]+)\"", JS.read_text(encoding="utf-8")))
RENDER = Template("{% load viewflow %}{% render form form.layout %}")


def rendered(form) -> str:
    return RENDER.render(Context({"form": form}))


def _item(pk, name):
    return SimpleNamespace(pk=pk, nomination=SimpleNamespace(candidate=name))


def step_forms(users, data=None):
    """(name, form) of every form a flow step shows, bound to ``data`` when given."""
    nominee = SimpleNamespace(pk=7, candidate="Lý Thị Ánh", award_type="Giấy khen")
    items = [_item(1, "Lý Thị Ánh"), _item(2, "Vy Đức Toàn")]
    kw = {} if data is None else {"data": data}
    return [
        ("StartForm", forms.StartForm(user=users["canbo_vinhtrai"], **kw)),
        ("CommentForm", forms.CommentForm(**kw)),
        ("DecisionForm", forms.DecisionForm(choices=HeadDecision.choices, **kw)),
        ("ReviewForm", forms.ReviewForm(nominations=[nominee], **kw)),
        ("OpenSessionForm", council_forms.OpenSessionForm(user=users["thuky_hoidong"], **kw)),
        ("RevoteForm", council_forms.RevoteForm(**kw)),
        ("DraftDecisionForm", decision_forms.DraftDecisionForm(user=users["thuky_hoidong"], **kw)),
        ("SignForm", decision_forms.SignForm(items=items, **kw)),
        ("RedraftForm", decision_forms.RedraftForm(items=items, **kw)),
    ]


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def test_the_frontend_defines_the_usual_fields():
    # Positive control for DEFINED: the regular expression does read the element names out of the bundle.
    assert {"vf-field-input", "vf-field-select", "vf-field-radio-select", "vf-field-checkbox"} <= DEFINED
    assert "vf-field-checkbox-select" not in DEFINED


def test_every_step_form_renders_only_defined_elements(users):
    for name, form in step_forms(users):
        html = rendered(form)
        used = set(re.findall(r"<(vf-field-[a-z-]+)", html))
        assert used <= DEFINED, (name, used - DEFINED)


def test_checkbox_lists_render_one_checkbox_per_choice(users):
    html = rendered(council_forms.OpenSessionForm(user=users["thuky_hoidong"]))
    members = council_forms.OpenSessionForm(user=users["thuky_hoidong"]).fields["present"].queryset
    assert members.count() == 5
    for member in members:
        assert re.search(rf'<input[^>]*type="checkbox"[^>]*name="present"[^>]*value="{member.pk}"', html)
        assert str(member) in html
    assert "<legend" in html and "Thành viên có mặt" in html

    html = rendered(decision_forms.RedraftForm(items=[_item(1, "Lý Thị Ánh")], data={"remove": ["1"]}))
    assert re.search(r'<input[^>]*name="remove"[^>]*value="1"[^>]*checked', html)


def test_errors_show_next_to_their_field_and_at_the_top(users):
    council = Council.objects.get(issuer__code="ls")
    form = council_forms.OpenSessionForm(user=users["thuky_hoidong"], data={"council": council.pk})
    assert not form.is_valid()
    html = rendered(form)
    # The required lists' errors sit inside their fieldsets (not on an element nobody can see).
    for field in ("nominations", "present"):
        fieldset = re.search(rf'<fieldset[^>]*id="id_{field}".*?</fieldset>', html, re.S).group(0)
        assert "thidua-checkboxes--invalid" in fieldset
        assert form.errors[field][0] in fieldset
    form.add_error(None, "Phiên họp cần ít nhất một đề nghị.")
    html = rendered(form)
    assert re.search(r'<div class="vf-form__errors" role="alert">.*Phiên họp cần ít nhất một đề nghị', html, re.S)


def test_every_step_form_shows_its_errors(users):
    """Bound to nothing, each form with a required field shows each error in its rendering."""
    for name, form in step_forms(users, data={}):
        html = rendered(form)
        for field, errors in form.errors.items():
            assert str(errors[0]) in html.replace("&#x27;", "'"), (name, field)
