"""The UI driver fills in only what a page shows: a field or a choice the page lacks fails the journey."""

import pytest

from .pages import page_errors, page_form

PAGE = """
<form method="post" action="/accounts/logout/"><input type="hidden" name="csrfmiddlewaretoken" value="t"></form>
<form class="vf-form" method="POST">
  <input type="hidden" name="csrfmiddlewaretoken" value="t">
  <vf-field-radio-select name="decision" value="" optgroups='[{"name": "", "options": {"name": "decision",
    "value": "submit", "selected": false}}, {"name": "", "options": {"name": "decision", "value": "return",
    "selected": false}}]' error="Trường này là bắt buộc."></vf-field-radio-select>
  <vf-field-textarea name="comment"></vf-field-textarea>
  <vf-field-input name="held_on" value="05/12/2026"></vf-field-input>
  <input type="checkbox" name="present" value="2" checked><input type="checkbox" name="present" value="4">
</form>
"""


def test_the_body_is_the_pages_values_overlaid_with_the_persons():
    body = page_form(PAGE, {"decision": "submit", "comment": "Đồng ý", "present": ["2", "4"]})
    assert body == {
        "csrfmiddlewaretoken": "t",
        "decision": "submit",
        "comment": "Đồng ý",
        "held_on": "05/12/2026",
        "present": ["2", "4"],
    }


def test_a_field_the_page_does_not_show_fails():
    with pytest.raises(AssertionError, match="no field"):
        page_form(PAGE, {"decision": "submit", "password": "x"})


def test_a_choice_the_page_does_not_offer_fails():
    with pytest.raises(AssertionError, match="does not offer"):
        page_form(PAGE, {"decision": "endorse"})
    with pytest.raises(AssertionError, match="does not offer"):
        page_form(PAGE, {"present": ["2", "6"]})


def test_the_errors_a_page_shows_are_read():
    errors = '<div class="vf-form__errors"><div class="vf-form__error">Hồ sơ còn thiếu tài liệu</div></div>'
    assert page_errors(PAGE + errors) == ["Trường này là bắt buộc.", "Hồ sơ còn thiếu tài liệu"]
