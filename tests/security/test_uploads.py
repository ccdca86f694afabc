"""Uploads: zip bombs, PDF/HTML polyglots and active PDFs are refused with a Vietnamese field error;
stored names are cleaned."""

import io
import struct
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from nominations.models import Attachment
from nominations.uploads import check_upload, clean_name

from ..workflow.helpers import PDF, attach, start

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx(extra=(), document=b"<w:document/>"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", document)
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(name, data, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def refused(name, data, code):
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, data))
    assert error.value.code == code, error.value
    assert not error.value.messages[0].isascii()  # Vietnamese
    return error.value.messages[0]


def test_an_ordinary_docx_and_pdf_pass():
    assert check_upload(upload("to-trinh.docx", docx()))[0] == DOCX_TYPE
    assert check_upload(upload("bao-cao.pdf", PDF))[0] == "application/pdf"


def test_a_compressed_pdf_from_weasyprint_passes():
    """WeasyPrint (as the app's own documents) keeps objects in compressed object streams: read with pypdf."""
    from weasyprint import HTML

    data = HTML(string="<p>Báo cáo thành tích</p>").write_pdf()
    assert b"/ObjStm" in data
    assert check_upload(upload("bao-cao.pdf", data))[0] == "application/pdf"


def test_the_inflated_size_bound_defaults_to_five_times_the_upload_limit(settings):
    assert settings.THIDUA_MAX_DOCX_UNZIPPED_BYTES == 5 * settings.THIDUA_MAX_UPLOAD_BYTES == 50 * 1024 * 1024


def test_a_docx_bomb_is_refused(settings):
    settings.THIDUA_MAX_DOCX_UNZIPPED_BYTES = 4 * 1024 * 1024
    bomb = docx([("word/media/pad.bin", b"\0" * (5 * 1024 * 1024))])
    assert len(bomb) < 20_000  # a tiny upload that inflates to 5 MiB
    assert "giải nén vượt quá 4 MB" in refused("to-trinh.docx", bomb, "docx_too_large")


def test_a_docx_with_thousands_of_parts_is_refused():
    many = docx([(f"word/p{i}.xml", b"") for i in range(1500)])
    refused("to-trinh.docx", many, "docx_too_large")


def test_a_docx_that_understates_its_sizes_is_refused(settings):
    settings.THIDUA_MAX_DOCX_UNZIPPED_BYTES = 4 * 1024 * 1024
    data = bytearray(docx([("word/media/pad.bin", b"\0" * (5 * 1024 * 1024))]))
    # Rewrite the pad's declared size (local header and central directory) to 100 bytes.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        struct.pack_into("<I", data, data.rfind(signature) + offset, 100)
    refused("to-trinh.docx", bytes(data), "docx_corrupt")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n",
        b"%PDF-1.4\n1 0 obj<</Length 40>>stream\n<SCRIPT src=//evil.example/x.js></SCRIPT>\nendstream endobj\n%%EOF",
    ],
    ids=["html-after-header", "script-in-a-stream"],
)
def test_a_pdf_html_polyglot_is_refused(data):
    refused("bao-cao.pdf", data, "pdf_active_content")


def test_html_before_the_pdf_header_is_refused():
    refused("bao-cao.pdf", b"<html><script>alert(1)</script>%PDF-1.4\n%%EOF", "file_type")


@pytest.mark.parametrize(
    "objects",
    [
        b"1 0 obj<</Type/Catalog/OpenAction 2 0 R>>endobj 2 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj",
        b"1 0 obj<</Type/Catalog/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>>>endobj",
        b"1 0 obj<</Type/Catalog/OpenAction<</S/Launch/F(cmd.exe)>>>>endobj",
        b"1 0 obj<</Type/Filespec/EF<</F 2 0 R>>>>endobj 2 0 obj<</Type/EmbeddedFile/Length 1>>stream\nx\nendstream",
    ],
    ids=["javascript-open-action", "hex-escaped-names", "launch", "embedded-file"],
)
def test_a_pdf_with_active_content_is_refused(objects):
    refused("bao-cao.pdf", b"%PDF-1.7\n" + objects + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n", "pdf_active_content")


def test_an_unreadable_pdf_that_hides_objects_in_compressed_streams_is_refused():
    data = b"%PDF-1.7\n1 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length 9>>stream\nnot-zlib!\nendstream\n"
    refused("bao-cao.pdf", data, "pdf_corrupt")


def test_an_image_starting_with_html_is_refused():
    refused("anh.png", b"\x89PNG\r\n\x1a\n<svg onload=alert(1)>", "file_html")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ('Báo cáo "thành tích"\r\nSet-Cookie: a=b.pdf', "Báo cáo thành tích Set-Cookie a=b.pdf"),
        ("<img src=x onerror=alert(1)>Biên bản họp.pdf", "Biên bản họp.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\lan\\Tờ trình.docx", "Tờ trình.docx"),
        ("\u202eanh\u200b.png", "anh.png"),
        ("...pdf", "tệp.pdf"),
        ("Đ" * 300 + ".pdf", "Đ" * 116 + ".pdf"),
    ],
)
def test_names_are_cleaned(raw, clean):
    assert clean_name(raw) == clean


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def test_the_form_shows_the_error_and_stores_nothing(client, users):
    process = start(client, users["canbo_vinhtrai"])
    polyglot = upload("bao-cao.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n")
    response = client.post(
        f"/dossiers/submissions/{process.artifact.pk}/attachments/add/", {"kind": "other", "file": polyglot}
    )
    assert response.status_code == 200
    assert "Tệp PDF có chứa mã HTML/JavaScript" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_stored_name_is_cleaned_through_the_form(client, users):
    process = start(client, users["canbo_vinhtrai"])
    named = upload('Báo cáo "2024" <img src=x onerror=alert(1)>đạt.pdf', PDF)
    assert attach(client, process.artifact, "other", upload=named).status_code == 302
    assert Attachment.objects.get().original_name == "Báo cáo 2024 đạt.pdf"
