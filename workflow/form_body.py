"""A form POST's fields read in one pass (issue 18: a council ballot sends 500 of them).

Django's ``QueryDict`` files each field through ``appendlist`` (a text conversion and a ``setdefault`` per key
and value): 1.7 ms for a 500-item ballot, four times the parsing itself. ``FormData`` is the same
``QueryDict`` (same limits, same decoding, same values, the same class to every reader) filled from one dict
of lists. ``FormBodyMiddleware`` gives it to a url-encoded POST before the CSRF check reads the token from it;
any other request is left to Django.
"""

from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

URLENCODED = "application/x-www-form-urlencoded"


class FormData(QueryDict):
    def __init__(self, query_string=None, mutable=False, encoding=None):
        super().__init__(None, mutable=True, encoding=encoding)
        if isinstance(query_string, bytes):
            try:
                query_string = query_string.decode(self.encoding)
            except UnicodeDecodeError:  # as QueryDict: some user agents misbehave
                query_string = query_string.decode("iso-8859-1")
        lists = {}
        try:
            pairs = _pairs(query_string or "", self.encoding, settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
        except ValueError as error:  # as QueryDict: only max_num_fields raises it here
            raise TooManyFieldsSent(
                "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
            ) from error
        for key, value in pairs:
            values = lists.get(key)
            if values is None:
                lists[key] = [value]
            else:
                values.append(value)
        dict.update(self, lists)
        self._mutable = mutable


def _pairs(query_string: str, encoding: str, max_num_fields) -> list:
    """``parse_qsl(query_string, keep_blank_values=True, ...)``. A body with no ``%`` and no ``+`` (a ballot: ids
    and choices) has nothing to decode: its pairs are split as parse_qsl splits them, without its two string
    replacements and two ``unquote`` calls per field (s27ballot: a third of a 500-item ballot's parsing)."""
    if "%" in query_string or "+" in query_string:
        return parse_qsl(query_string, keep_blank_values=True, encoding=encoding, max_num_fields=max_num_fields)
    fields = query_string.split("&") if query_string else []
    if max_num_fields is not None and max_num_fields < len(fields):
        raise ValueError("Max number of fields exceeded")  # parse_qsl's own check and error
    pairs = []
    for field in fields:
        if field:
            name, _equals, value = field.partition("=")
            pairs.append((name, value))
    return pairs


class FormBodyMiddleware:
    """Parses a url-encoded POST with ``FormData``, exactly where Django's request would (see
    ``HttpRequest._load_post_and_files``): before ``CsrfViewMiddleware``, the first to read ``request.POST``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.content_type == URLENCODED
            and (request.encoding or "utf-8").lower() == "utf-8"
            and not hasattr(request, "_post")
            and (hasattr(request, "_body") or not getattr(request, "_read_started", False))
        ):
            request._post = FormData(request.body, encoding="utf-8")
            request._files = MultiValueDict()
        return self.get_response(request)
