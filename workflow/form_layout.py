"""How step forms render in viewflow's Material frontend, where viewflow's own mapping falls short.

viewflow 2.4 renders ``CheckboxSelectMultiple`` as ``<vf-field-checkbox-select>``, an element its
JavaScript never defines: the list is 0 px tall, nothing can be ticked and the field's error is
invisible. ``FormLayout`` here renders such fields as a plain fieldset of Material checkboxes
(CSS only, no script), errors next to them, and the form's own errors at the top as an alert.
A form opts in with ``layout = FormLayout()`` (viewflow's task pages render ``form.layout``).
"""

from xml.etree import ElementTree

from django import forms
from django.utils.translation import gettext_lazy as _
from viewflow.forms import renderers

_CHECKMARK = "M1.73,12.91 8.1,19.28 22.79,4.59"


class CheckboxListRenderer(renderers.WidgetRenderer):
    """One labelled Material checkbox per choice, in a fieldset named by the field's label."""

    tag = "fieldset"

    def create_root(self, context):
        widget = context["widget"]
        field = self.bound_field
        classes = "thidua-checkboxes vf-field__row" + (" thidua-checkboxes--invalid" if field.errors else "")
        root = ElementTree.SubElement(self.root, "fieldset", {"class": classes, "id": field.auto_id or widget["name"]})
        legend = ElementTree.SubElement(root, "legend", {"class": "thidua-checkboxes__label"})
        legend.text = str(field.label) + ("*" if field.field.required else "")
        for _group, options, _index in widget["optgroups"]:
            for option in options:
                self._checkbox(root, option)
        if not widget["optgroups"]:
            empty = ElementTree.SubElement(root, "p", {"class": "thidua-checkboxes__empty"})
            empty.text = str(_("Không có mục nào để chọn."))
        message = field.errors[0] if field.errors else field.help_text
        if message:
            help_id = f"{field.auto_id}_helptext"
            root.set("aria-describedby", help_id)
            note = ElementTree.SubElement(root, "div", {"class": "thidua-checkboxes__help", "id": help_id})
            note.text = str(message)
        return root

    def _checkbox(self, root, option):
        attrs = option["attrs"]
        row = ElementTree.SubElement(root, "div", {"class": "mdc-form-field"})
        box = ElementTree.SubElement(row, "div", {"class": "mdc-checkbox"})
        control = {
            "type": "checkbox",
            "class": "mdc-checkbox__native-control",
            "name": option["name"],
            "value": str(option["value"]),
            "id": attrs["id"],
        }
        if option["selected"]:
            control["checked"] = "checked"
        ElementTree.SubElement(box, "input", control)
        background = ElementTree.SubElement(box, "div", {"class": "mdc-checkbox__background"})
        svg = ElementTree.SubElement(background, "svg", {"class": "mdc-checkbox__checkmark", "viewBox": "0 0 24 24"})
        ElementTree.SubElement(svg, "path", {"class": "mdc-checkbox__checkmark-path", "fill": "none", "d": _CHECKMARK})
        ElementTree.SubElement(background, "div", {"class": "mdc-checkbox__mixedmark"})
        ElementTree.SubElement(box, "div", {"class": "mdc-checkbox__ripple"})
        label = ElementTree.SubElement(row, "label", {"for": attrs["id"]})
        label.text = str(option["label"])


class FormLayout(renderers.FormLayout):
    """viewflow's default layout, with checkbox lists that render and errors a person can see."""

    def append_field(self, root, bound_field, renderer_class=None, layout_node=None):
        if renderer_class is None and isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple):
            renderer_class = CheckboxListRenderer
        super().append_field(root, bound_field, renderer_class, layout_node)

    def append_non_field_errors(self, form, root):
        super().append_non_field_errors(form, root)
        for wrapper in root.iter("div"):
            if wrapper.get("class") == "vf-form__errors":
                wrapper.set("role", "alert")
