"""A url-encoded POST read in one pass (workflow.form_body, issue 18): the same fields, limits and errors."""

import pytest
from django.core.exceptions import BadRequest, TooManyFieldsSent
from django.http import QueryDict
from django.test import RequestFactory, override_settings

from workflow.form_body import FormBodyMiddleware, FormData

BODIES = [b"", b"a=1&a=2&b=&c", b"x=%C3%A1&y=%FF&z=a+b", "k=á&k=".encode(), b"item_1=agree&item_2=disagree"]
# Neither "%" nor "+": split without decoding (s27ballot), the same pairs as Django's.
BODIES += [b"&&a=1&&b==2&c&=d&", "tên=giá trị&k=v=w".encode(), b"a=1&b=2+3", b"a=%41&b"]


@pytest.mark.parametrize("body", BODIES)
def test_form_data_holds_what_django_reads(body):
    ours, django = FormData(body, encoding="utf-8"), QueryDict(body, encoding="utf-8")
    assert list(ours.lists()) == list(django.lists())
    assert not ours._mutable
    copy = ours.copy()
    assert type(copy) is FormData and copy._mutable and list(copy.lists()) == list(django.lists())


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=3)
def test_form_data_keeps_the_field_limit():
    with pytest.raises(TooManyFieldsSent):
        FormData(b"a=1&b=2&c=3&d=4")
    with pytest.raises(TooManyFieldsSent):  # empty fields count, as in parse_qsl
        FormData(b"a=1&&&")
    with pytest.raises(TooManyFieldsSent):  # the same with something to decode
        FormData(b"a=%41&b=2&c=3&d=4")
    assert list(FormData(b"a=1&b=2&c=3").lists()) == [("a", ["1"]), ("b", ["2"]), ("c", ["3"])]


def _through_middleware(request):
    seen = {}

    def view(request):
        seen["post"] = request.POST
        return None

    FormBodyMiddleware(view)(request)
    return seen["post"]


def test_the_middleware_reads_a_urlencoded_post_with_form_data():
    request = RequestFactory().post(
        "/x/", "item_1=agree&item_1=abstain", content_type="application/x-www-form-urlencoded"
    )
    post = _through_middleware(request)
    assert type(post) is FormData and post.getlist("item_1") == ["agree", "abstain"]


def test_the_middleware_leaves_other_requests_to_django():
    multipart = RequestFactory().post("/x/", {"a": "1"})  # multipart/form-data
    assert type(_through_middleware(multipart)) is QueryDict and _through_middleware(multipart)["a"] == "1"
    request = RequestFactory().get("/x/?a=1")
    assert type(_through_middleware(request)) is QueryDict
    # Django refuses a url-encoded body in another charset: still Django's answer.
    latin = RequestFactory().post("/x/", b"a=1", content_type="application/x-www-form-urlencoded; charset=latin-1")
    with pytest.raises(BadRequest):
        _through_middleware(latin)
