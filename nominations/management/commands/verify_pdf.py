from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nominations.documents import pdf_signing
from nominations.models import Decision
from nominations.services.pdf_signatures import verify_decision_pdf


def describe(result: pdf_signing.Verification) -> list[str]:
    yes_no = {True: "có", False: "không"}
    lines = [
        f"Có chữ ký số: {yes_no[result.signed]}",
        f"Nguyên vẹn (intact): {yes_no[result.intact]}",
        f"Chữ ký đúng (valid): {yes_no[result.valid]}",
        f"Chứng thư tin cậy (trusted): {yes_no[result.trusted]}",
        f"Không bị sửa sau khi ký: {yes_no[result.unmodified]}",
    ]
    if result.signer:
        lines.append(f"Người ký: {result.signer}")
    if result.signed_at:
        lines.append(f"Thời điểm ký: {result.signed_at.isoformat()}")
    if result.detail:
        lines.append(f"Chi tiết: {result.detail}")
    return lines


class Command(BaseCommand):
    help = (
        "Kiểm tra chữ ký số (PAdES) của một tệp PDF hoặc của tệp PDF một quyết định, với chứng thư gốc "
        "THIDUA_PDF_TRUST_ROOTS (verify a PDF's PAdES signature against the configured trust roots)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="tệp PDF (PDF file)")
        parser.add_argument("--decision", type=int, help="mã quyết định (decision id) thay cho tệp")
        parser.add_argument("--trust-root", action="append", default=[], help="chứng thư gốc (PEM/DER), lặp được")

    def handle(self, *args, path=None, decision=None, trust_root=(), **options):
        roots = pdf_signing.load_roots(tuple(trust_root)) if trust_root else None
        if decision is not None:
            found = Decision.objects.filter(pk=decision).first()
            if found is None:
                raise CommandError(f"Không có quyết định mã {decision}.")
            if roots is None:
                result = verify_decision_pdf(found)
            else:
                result = found.pdf and pdf_signing.verify_pdf(found.pdf.read(), roots=roots)
            if not result:
                raise CommandError(f"Quyết định mã {decision} chưa có tệp PDF.")
        elif path:
            if not Path(path).is_file():
                raise CommandError(f"Không có tệp {path}.")
            result = pdf_signing.verify_pdf(Path(path).read_bytes(), roots=roots)
        else:
            raise CommandError("Cần đường dẫn tệp PDF hoặc --decision.")
        self.stdout.write("\n".join(describe(result)))
        if not result.ok:
            # CommandError exits with status 1.
            raise CommandError("Chữ ký số KHÔNG hợp lệ." if result.signed else "Tệp PDF không có chữ ký số.")
        self.stdout.write("Chữ ký số hợp lệ.")
