"""The journey of tests/browser/journey.py with what issue 12 added to the completion round and the ballot:
the clerk reads the reviewer's checklist and replaces a file, the reviewer reads what changed, a member
votes with "Tán thành tất cả…" and its confirmation. Only clicks, ticks and typing on what is on screen."""

import re

from . import ui
from .journey import CLERK, FIRST_MEMBER, KEPT, REVIEWER, SESSION, STRUCK, UNIT, Journey

REPLACEMENT = "bao-cao-co-xac-nhan.pdf"


class RoundsScreenshots(ui.Screenshots):
    """rounds-NN-<name>.png: beside the main journey's screenshots in the CI artifacts, never over them."""

    def __call__(self, page, name):
        self.count += 1
        page.screenshot(path=self.folder / f"rounds-{self.count:02d}-{name}.png", full_page=True, animations="disabled")


class RoundsJourney(Journey):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        (self.files / REPLACEMENT).write_bytes(b"%PDF-1.4\n% replaced\n%%EOF\n")

    def clerk_completes(self):
        page = self.as_user(CLERK)
        self.open_task(page, "Đề nghị khen thưởng", "Bổ sung hồ sơ theo yêu cầu", UNIT)
        banner = page.locator("#thidua-return-notice")
        assert banner.is_visible()
        text = banner.inner_text()
        assert "Hồ sơ được trả lại để bổ sung (lần 1)" in text
        assert f"{STRUCK}: Bổ sung xác nhận của tổ dân phố." in text and KEPT not in text
        self.shot(page, "completion-banner")
        # What was accepted offers no "Thay"; the returned nominee's report does.
        page.get_by_role("link", name="Thay tài liệu bao-cao.pdf").click()
        page.wait_for_url(re.compile(r".*/attachments/\d+/replace/$"))
        page.get_by_label(re.compile("Tệp mới")).set_input_files(self.files / REPLACEMENT)
        self.shot(page, "replace-file")
        page.get_by_role("button", name="Thay tài liệu").click()
        page.wait_for_url(re.compile(r".*/dossiers/submissions/\d+/$"))
        assert "Đã thay tài liệu" in ui.visible_text(page)
        page.get_by_text(re.compile(r"Tài liệu đã gỡ hoặc thay thế \(1\)")).click()  # open the history
        assert f"thay bằng “{REPLACEMENT}”" in ui.visible_text(page)
        self.shot(page, "file-history")
        self.attach(page, "Tài liệu khác", "bo-sung.pdf", STRUCK)
        self.open_task(page, "Đề nghị khen thưởng", "Bổ sung hồ sơ theo yêu cầu", UNIT)
        ui.fill(page, "comment", "Đã bổ sung xác nhận của tổ dân phố.")
        ui.submit(page, leaving="/execute/")

    def reviewer_accepts(self):
        page = self.as_user(REVIEWER)
        self.open_task(page, "Đề nghị khen thưởng", "Thẩm định hồ sơ", UNIT)
        changes = page.locator("section.thidua-round-changes")
        assert changes.is_visible()
        text = changes.inner_text()
        assert "Thay đổi của đơn vị từ lần thẩm định trước" in text
        assert f"Thay tệp: bao-cao.pdf → {REPLACEMENT}" in text and "Thêm tệp: bo-sung.pdf" in text
        assert STRUCK in text and KEPT not in text
        self.shot(page, "review-round-2-changes")
        self.choose_per_nomination(page, STRUCK, "Đạt")
        ui.submit(page, leaving="/execute/")

    def first_member_agrees_to_all(self):
        """One ballot: the award, the unit, the achievement, the appraisal and the files are on it; "Tán thành
        tất cả…" fills it and shows it again, and only the ballot's own button sends it."""
        page = self.as_user(FIRST_MEMBER)
        self.from_my_work(page, "Bỏ phiếu", SESSION)
        text = ui.visible_text(page)
        assert "Ngưỡng thông qua" in text and "Tóm tắt thành tích" in text and "Ý kiến thẩm định" in text
        assert page.get_by_role("link", name=REPLACEMENT).first.is_visible()
        self.shot(page, "ballot-details")
        page.get_by_role("button", name="Tán thành tất cả…").click()
        confirm = page.locator("#thidua-agree-all-confirm")
        confirm.wait_for()
        assert "Phiếu chưa được gửi" in confirm.inner_text()
        assert page.url.endswith("/execute/")
        boxes = page.locator("fieldset.thidua-ballot").all()
        assert boxes and all(box.get_by_label("Tán thành", exact=True).is_checked() for box in boxes)
        self.shot(page, "ballot-agree-all-confirm")
        ui.submit(page, leaving="/execute/")
        receipt = page.locator(".thidua-receipt__code")
        receipt.wait_for()
        return receipt.inner_text().strip()
