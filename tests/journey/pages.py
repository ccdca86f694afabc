"""Reading the forms a page renders, and filling in only the fields it shows.

A test that posts a hand-written dict passes even when the page no longer offers the field; a person cannot.
``page_form(html, data)`` finds the page's form that has every field of ``data``, checks each chosen value is one
the page offers, and returns the body a browser would send: the page's own values (hidden inputs, checked boxes,
selected options, pre-filled text) overlaid with ``data``. Any field or choice the page lacks fails the test.

viewflow's material forms render fields as custom elements (``<vf-field-select name=… optgroups='[…]'>``), plain
Django templates as ``<input>``/``<select>``/``<textarea>``: both are read.
"""

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Forms every page carries that are not the page's own.
CHROME_ACTIONS = ("/accounts/logout/", "/i18n/setlang/")


@dataclass
class Field:
    name: str
    kind: str  # "text", "choice", "checkbox", "file", "hidden"
    options: set = field(default_factory=set)  # values a choice offers (empty: free text)
    default: list = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    fields: dict = field(default_factory=dict)

    def add(self, name, kind, options=(), default=()):
        known = self.fields.setdefault(name, Field(name, kind))
        known.options.update(options)
        known.default.extend(default)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.errors: list[str] = []
        self._form = None
        self._select = None
        self._textarea = None
        self._error_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(a.get("action") or "", (a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if "error" in a and tag.startswith("vf-field"):
            self.errors.append(a["error"])
        if "vf-form__error" in (a.get("class") or "").split() or "errorlist" in (a.get("class") or "").split():
            self._error_depth = 1
            self.errors.append("")
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button"):
                return
            if kind in ("checkbox", "radio"):
                self._form.add(
                    name, "checkbox", {a.get("value", "on")}, [a.get("value", "on")] if "checked" in a else []
                )
            elif kind == "file":
                self._form.add(name, "file")
            else:
                self._form.add(
                    name, "hidden" if kind == "hidden" else "text", (), [a["value"]] if a.get("value") else []
                )
        elif tag == "select":
            self._form.add(name, "choice")
            self._select = name
        elif tag == "textarea":
            self._form.add(name, "text")
        elif tag.startswith("vf-field"):
            self._vf_field(tag, name, a)

    def _option(self, a):
        value = a.get("value", "")
        self._form.add(
            self._select, "choice", {value} if value else set(), [value] if "selected" in a and value else []
        )

    def _vf_field(self, tag, name, a):
        if "optgroups" in a:
            options, chosen = set(), []
            for group in json.loads(a["optgroups"]):
                for option in group["options"] if isinstance(group["options"], list) else [group["options"]]:
                    if option.get("value") not in ("", None):
                        options.add(str(option["value"]))
                        if option.get("selected"):
                            chosen.append(str(option["value"]))
            self._form.add(name, "choice", options, chosen)
        elif tag == "vf-field-checkbox":
            self._form.add(name, "checkbox", {"on"}, ["on"] if "checked" in a else [])
        elif tag == "vf-field-file":
            self._form.add(name, "file")
        else:
            self._form.add(name, "text", (), [a["value"]] if a.get("value") else [])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif self._error_depth and tag in ("div", "ul", "li", "span"):
            self._error_depth = 0

    def handle_data(self, data):
        if self._error_depth and data.strip():
            self.errors[-1] = (self.errors[-1] + " " + data.strip()).strip()


def parse(html: str) -> _FormParser:
    parser = _FormParser()
    parser.feed(html)
    return parser


def own_forms(html: str) -> list[Form]:
    """The page's own POST forms (not the logout and language forms of the frame)."""
    return [f for f in parse(html).forms if f.method == "post" and not f.action.startswith(CHROME_ACTIONS)]


def page_errors(html: str) -> list[str]:
    """The error messages a page shows: viewflow's per-field and form errors, Django's error lists."""
    return [e for e in parse(html).errors if e]


def page_form(html: str, data: dict) -> dict:
    """The body a person sends by filling ``data`` into the page's form; fails if the page lacks a field/choice."""
    forms = own_forms(html)
    assert forms, "the page shows no form"
    matching = [f for f in forms if set(data) <= set(f.fields)]
    assert matching, (
        f"the page's form has no field {sorted(set(data) - set(forms[0].fields))}; it has {sorted(forms[0].fields)}"
    )
    form = matching[0]
    body = {name: (f.default if len(f.default) > 1 else f.default[0]) for name, f in form.fields.items() if f.default}
    for name, value in data.items():
        known = form.fields[name]
        values = value if isinstance(value, list | tuple | set) else [value]
        if known.kind in ("choice", "checkbox") and known.options:
            offered = {str(v) for v in values if v not in (None, "", False)} - known.options
            assert not offered, (
                f"the page does not offer {sorted(offered)} for {name!r} (it offers {sorted(known.options)})"
            )
        if value in (None, False) or (isinstance(value, list | tuple | set) and not value):
            body.pop(name, None)  # an unticked box or an empty multiple choice is not sent
        else:
            body[name] = value
    return body


def table_rows(html: str) -> list[list[str]]:
    """The text of each body row of the page's tables."""
    rows, parser = [], HTMLParser()
    state = {"in_body": False, "cell": None}

    def start(tag, attrs):
        if tag == "tbody":
            state["in_body"] = True
        elif tag == "tr" and state["in_body"]:
            rows.append([])
        elif tag == "td" and state["in_body"]:
            state["cell"] = ""

    def end(tag):
        if tag == "td" and state["cell"] is not None:
            rows[-1].append(re.sub(r"\s+", " ", state["cell"]).strip())
            state["cell"] = None
        elif tag == "tbody":
            state["in_body"] = False

    def data(text):
        if state["cell"] is not None:
            state["cell"] += text

    parser.handle_starttag, parser.handle_endtag, parser.handle_data = start, end, data
    parser.feed(html)
    return rows


def timeline_entries(html: str) -> list[str]:
    """The text of each entry of the page's "Nhật ký xử lý" (workflow/_timeline.html)."""
    entries, parser = [], HTMLParser()
    state = {"depth": 0, "entry": None}

    def start(tag, attrs):
        if tag == "section" and "thidua-timeline" in (dict(attrs).get("class") or "").split():
            state["depth"] = 1
        elif tag == "li" and state["depth"]:
            state["entry"] = ""

    def end(tag):
        if tag == "li" and state["entry"] is not None:
            entries.append(re.sub(r"\s+", " ", state["entry"]).strip())
            state["entry"] = None
        elif tag == "section":
            state["depth"] = 0

    def data(text):
        if state["entry"] is not None:
            state["entry"] += text

    parser.handle_starttag, parser.handle_endtag, parser.handle_data = start, end, data
    parser.feed(html)
    return entries
