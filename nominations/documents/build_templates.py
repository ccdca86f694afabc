"""Build the .docx templates in ``docx/`` with python-docx.

Run ``python -m nominations.documents.build_templates`` after changing the
layout, and commit the files it writes. The templates are generated rather
than edited in Word so that every layout rule is visible in review and
the files are reproducible: the output is byte-identical across runs, and
a test rebuilds them and compares.

docxtpl tags used: ``{{ … }}`` values, ``{%p … %}`` paragraph loops and
conditions, ``{%tr … %}`` table-row loops and conditions.
"""

import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.shared import Mm, Pt

from .docx_parts import (
    CENTER,
    JUSTIFY,
    LEFT,
    RIGHT,
    TEXT_WIDTH_MM,
    cell,
    keep_row_together,
    layout_table,
    new_document,
    new_numbered_section,
    para,
    repeat_as_header,
    rule,
    run,
    tag,
)

DOCX_DIR = Path(__file__).resolve().parent / "docx"
HEADER_COLUMNS = (66, 99)  # issuer 40 %, national motto 60 %
INDENT = Mm(12.7)
BODY = {"align": JUSTIFY, "first_line_indent": INDENT, "space_after": Pt(6)}
LOOP_BODY = {"first_line_indent": INDENT, "space_after": Pt(6)}  # loop() sets the alignment
APPENDIX_COLUMNS = (
    ("STT", 13, "c", "number"),
    ("Họ và tên / Tên tập thể", 49.5, "l", "name"),
    ("Chức vụ, đơn vị", 52.8, "l", "position_unit"),
    ("Hình thức khen thưởng", 23.1, "c", "award_name"),
    ("Số tiền (đồng)", 26.6, "r", "amount"),
)
VOTE_COLUMNS = (
    ("STT", 11, "c", "number"),
    ("Tập thể, cá nhân", 41, "l", "name"),
    ("Hình thức", 17, "c", "award_name"),
    ("Đồng ý", 15, "c", "agree"),
    ("Không đồng ý", 15, "c", "disagree"),
    ("Không ý kiến", 15, "c", "abstain"),
    ("Tỷ lệ đồng ý", 30, "c", "percent"),
    ("Kết quả", 21, "c", "result"),
)
_ALIGN = {"c": CENTER, "l": LEFT, "r": RIGHT}


def header(doc, *, place_date: bool = True):
    """Issuer and number on the left; national motto and place-date on the right."""
    table = layout_table(doc, list(HEADER_COLUMNS), rows=2)
    left = cell(table, 0, 0)
    tag(left, "{%p if issuer.parent and issuer.parent_is_superior %}")
    para(left, "{{ issuer.parent }}", size=13)
    tag(left, "{%p elif issuer.parent %}")
    para(left, "{{ issuer.parent }}", bold=True, size=13)
    tag(left, "{%p endif %}")
    para(left, "{{ issuer.name }}", bold=True, size=13)
    rule(left, width_mm=22, box_mm=HEADER_COLUMNS[0])
    right = cell(table, 0, 1)
    para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13)
    para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14)
    rule(right, width_mm=58, box_mm=HEADER_COLUMNS[1])
    para(cell(table, 1, 0), "Số: {{ number }}", size=13, space_before=Pt(8))
    para(cell(table, 1, 1), "{{ place_date }}" if place_date else "", italic=True, size=14, space_before=Pt(8))


def title(doc):
    para(doc, "{{ doc_type }}", bold=True, space_before=Pt(20))
    para(doc, "{{ subject }}", bold=True)
    rule(doc, width_mm=45, box_mm=TEXT_WIDTH_MM)


def loop(doc, items: str, name: str, text: str, *, last_keeps_with_next: bool = False, **fmt):
    """A paragraph per item; the last one can be kept with the signature block."""
    if not last_keeps_with_next:
        tag(doc, f"{{%p for {name} in {items} %}}")
        para(doc, text, align=JUSTIFY, **fmt)
        tag(doc, "{%p endfor %}")
        return
    tag(doc, f"{{%p for {name} in {items}[:-1] %}}")
    para(doc, text, align=JUSTIFY, **fmt)
    tag(doc, "{%p endfor %}")
    tag(doc, f"{{%p for {name} in {items}[-1:] %}}")
    para(doc, text, align=JUSTIFY, keep_with_next=True, **fmt)
    tag(doc, "{%p endfor %}")


def closing(doc):
    """ "Nơi nhận" in small type on the left, the signature block on the right."""
    table = layout_table(doc, [75, 90])
    keep_row_together(table.rows[0])
    left = cell(table, 0, 0)
    para(left, "Nơi nhận:", bold=True, italic=True, size=12, align=LEFT, space_before=Pt(12))
    tag(left, "{%p for recipient in recipients %}")
    para(left, "- {{ recipient }}", size=11, align=LEFT)
    tag(left, "{%p endfor %}")
    signature(cell(table, 0, 1), "signer.lines", "signer.full_name")


def signature(target, lines: str, full_name: str):
    tag(target, f"{{%p for line in {lines} %}}")
    para(target, "{{ line }}", bold=True)
    tag(target, "{%p endfor %}")
    para(target, f"{{{{ {full_name} }}}}", bold=True, space_before=Mm(28))


def data_table(doc, columns, collection: str, *, font: int, heading_rows=False, total="", second_line=""):
    """A bordered table whose body rows come from a ``{%tr for %}`` loop.

    ``heading_rows`` adds a full-width row for lines with a ``heading``;
    ``second_line`` prints that field in small italics under column 2.
    """
    table = layout_table(doc, [width for _, width, _, _ in columns], rows=1, grid=True)
    head = table.rows[0]
    repeat_as_header(head)
    for i, (label, _, _, _) in enumerate(columns):
        _cell_text(table.cell(0, i), label, bold=True, size=font)
    _tag_row(table, f"{{%tr for line in {collection} %}}")
    if heading_rows:
        _tag_row(table, "{%tr if line.heading %}")
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        _cell_text(merged, "{{ line.heading }}", bold=True, size=font, align=LEFT)
        _tag_row(table, "{%tr else %}")
    row = table.add_row()
    keep_row_together(row)
    for i, (_, _, align, key) in enumerate(columns):
        _cell_text(row.cells[i], f"{{{{ line.{key} }}}}", size=font, align=_ALIGN[align])
    if second_line:
        para(row.cells[1], f"{{{{ line.{second_line} }}}}", italic=True, size=font - 1, align=LEFT)
    if heading_rows:
        _tag_row(table, "{%tr endif %}")
    _tag_row(table, "{%tr endfor %}")
    if total:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-2])
        _cell_text(merged, "Tổng cộng", bold=True, size=font)
        _cell_text(row.cells[-1], total, bold=True, size=font, align=RIGHT)
    return table


def _tag_row(table, statement: str):
    """A row holding only a ``{%tr %}`` tag; docxtpl replaces the whole row."""
    row = table.add_row()
    _cell_text(row.cells[0], statement, size=None, align=LEFT)


def _cell_text(target, text: str, *, bold=False, size=13, align=CENTER):
    target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = target.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(2)
    run(paragraph, text, bold=bold, size=size)


def appendix(doc):
    """The awardee list on new pages, numbered on their own."""
    new_numbered_section(doc)
    para(doc, "{{ appendix.title }}", bold=True)
    para(doc, "{{ appendix.reference }}", italic=True)
    rule(doc, width_mm=45, box_mm=TEXT_WIDTH_MM)
    para(doc, space_after=Pt(6))
    data_table(doc, APPENDIX_COLUMNS, "appendix.lines", font=13, heading_rows=True, total="{{ appendix.total }}")


def build_decision():
    doc = decision_body()
    appendix(doc)
    return doc


def build_revocation():
    """The Quyết định hủy bỏ: the decision's layout; its few names are in Điều 1, so no list follows."""
    return decision_body()


def decision_body():
    doc = new_document()
    header(doc)
    title(doc)
    para(doc, "{{ authority_heading }}", bold=True, space_before=Pt(12), space_after=Pt(12))
    loop(doc, "bases", "basis", "{{ basis }}", italic=True, **LOOP_BODY)
    para(doc, "QUYẾT ĐỊNH:", bold=True, space_before=Pt(6), space_after=Pt(12))
    for items in ("articles[:-1]", "articles[-1:]"):
        tag(doc, f"{{%p for article in {items} %}}")
        paragraph = para(doc, **BODY, keep_with_next=items.endswith("-1:]"))
        run(paragraph, "{{ article.label }}", bold=True)
        run(paragraph, " {{ article.text }}")
        tag(doc, "{%p endfor %}")
    closing(doc)
    return doc


def build_submission_letter():
    doc = new_document()
    header(doc)
    title(doc)
    para(doc, "Kính gửi: {{ addressee }}.", space_before=Pt(12), space_after=Pt(12))
    loop(doc, "bases", "basis", "{{ basis }}", **LOOP_BODY)
    loop(doc, "paragraphs", "paragraph", "{{ paragraph }}", last_keeps_with_next=True, **LOOP_BODY)
    closing(doc)
    appendix(doc)
    return doc


def build_minutes():
    doc = new_document()
    header(doc, place_date=False)
    title(doc)
    para(doc, space_after=Pt(6))
    labelled(doc, "opening")
    loop(doc, "present", "member", "{{ member }}", left_indent=INDENT, space_after=Pt(2))
    tag(doc, "{%p if absent_label %}")
    paragraph = para(doc, **BODY)
    run(paragraph, "{{ absent_label }}", bold=True)
    run(paragraph, ", gồm:")
    tag(doc, "{%p endif %}")
    loop(doc, "absent", "member", "{{ member }}", left_indent=INDENT, space_after=Pt(2))
    para(doc, "{{ quorum }}", **BODY)
    labelled(doc, "agenda")
    data_table(doc, VOTE_COLUMNS, "items", font=12, second_line="unit")
    para(doc, space_after=Pt(6))
    loop(doc, "recusals", "note", "{{ note }}", **LOOP_BODY)
    labelled(doc, "conclusion")
    table = layout_table(doc, [82.5, 82.5])
    keep_row_together(table.rows[0])
    for i in (0, 1):
        target = cell(table, 0, i)
        para(target, f"{{{{ signatures[{i}].title }}}}", bold=True, space_before=Pt(12))
        para(target, f"{{{{ signatures[{i}].full_name }}}}", bold=True, space_before=Mm(28))
    return doc


def labelled(doc, items: str):
    """Paragraphs of a bold label followed by text ("Địa điểm: …")."""
    tag(doc, f"{{%p for line in {items} %}}")
    paragraph = para(doc, **BODY)
    run(paragraph, "{{ line.label }}", bold=True)
    run(paragraph, "{{ line.text }}")
    tag(doc, "{%p endfor %}")


TEMPLATES = {
    "quyet_dinh.docx": build_decision,
    "quyet_dinh_huy_bo.docx": build_revocation,
    "to_trinh.docx": build_submission_letter,
    "bien_ban.docx": build_minutes,
}
_EPOCH = datetime(2024, 1, 1)


def template_bytes(name: str) -> bytes:
    """The template file exactly as ``main`` writes it."""
    doc = TEMPLATES[name]()
    props = doc.core_properties
    props.author = props.last_modified_by = "thidua"
    props.created = props.modified = props.last_printed = _EPOCH
    props.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    return _normalised_zip(raw.getvalue())


def _normalised_zip(data: bytes) -> bytes:
    """Same members with fixed timestamps, so rebuilding changes no bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def main():
    for name in TEMPLATES:
        (DOCX_DIR / name).write_bytes(template_bytes(name))
        print(f"wrote {DOCX_DIR / name}")


if __name__ == "__main__":
    main()
