"""Every role's every step of one dossier, in the browser, as the people do it.

The demo after the 2025 reform: Khối 5 (a residential group under Phường Kỳ Lừa, successor of Vĩnh Trại)
proposes two people for the Giấy khen of Kỳ Lừa's chairman in the rehearsal issued by Phường Kỳ Lừa (a
commune-level People's Committee), and withdraws its draft nominee; the head submits; Kỳ Lừa's Phòng Văn hóa –
Xã hội appraises with one completion round; the secretary of Kỳ Lừa's council opens a session; every present
member votes and reads the receipt; the secretary drafts the decision; Kỳ Lừa's chairman signs it, striking one
name; the documents, the certificate, the public results and the certificate's verification page follow.

Used by tests/browser/test_journey.py; the steps only click, tick, pick and type what is on screen.
"""

import re

from . import ui

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
UNIT = "Khối 5, phường Kỳ Lừa (minh họa)"
DOSSIER = f"Tờ trình đề nghị khen thưởng – {UNIT}"
WITHDRAWN = "Lý Thị Ánh"
KEPT = "Vi Thị Hồng"  # signed
STRUCK = "Lục Văn Bình"  # asked for completion, then accepted; struck out by the chairman
AWARD = "Giấy khen của Chủ tịch UBND cấp xã"
CAMPAIGN = re.compile("Đợt diễn tập: phong trào thi đua của phường Kỳ Lừa")
# Who acts: Khối 5's clerk and head, then Phường Kỳ Lừa's people (nominations/demo.py, USERS_KY_LUA).
CLERK, HEAD = "canbo_khoi5", "truongkhoi_khoi5"
REVIEWER = "thamdinh_kylua"  # Phòng Văn hóa – Xã hội, the ward's standing body
SECRETARY = "thuky_kylua"
CHAIRMAN = "chutich_kylua"
MEMBERS = {
    "chutich_kylua": "Đàm Quang Vinh",
    "phochutich_kylua": "Lộc Thị Thanh",
    "uyvien_kylua_1": "Lương Thị Huyền",
    "uyvien_kylua_2": "Nông Văn Dũng",
    "uyvien_kylua_3": "Triệu Thị Vân",
}
FIRST_MEMBER = "uyvien_kylua_1"
SESSION = "Phiên họp xét khen thưởng đợt diễn tập"
COUNCIL = "Hội đồng Thi đua – Khen thưởng phường Kỳ Lừa (minh họa)"


class Journey:
    def __init__(self, new_page, shots, files, audit=None):
        self.new_page = new_page
        self.shots = shots
        self.audit = audit or (lambda page, name: None)
        self.files = files
        self.pages = {}
        (files / "bien-ban.pdf").write_bytes(PDF)
        (files / "bao-cao.pdf").write_bytes(PDF)
        (files / "bo-sung.pdf").write_bytes(PDF)

    def as_user(self, username):
        """The user's own browser context, logged in through the login form the first time."""
        if username not in self.pages:
            page = self.new_page()
            ui.log_in(page, username)
            self.pages[username] = page
        return self.pages[username]

    # --- helpers -------------------------------------------------------------------------------------

    def shot(self, page, name):
        """A screenshot of the step, and axe-core's accessibility check of the same page."""
        self.shots(page, name)
        self.audit(page, name)

    def from_my_work(self, page, task_title, row_text):
        """Open a task from 'Việc của tôi': 'Làm việc' when it is the user's, else 'Nhận việc' takes it."""
        ui.side_menu(page, "Việc của tôi")
        row = page.locator("table.thidua-my-work tbody tr", has_text=row_text).filter(has_text=task_title).first
        row.wait_for()
        self.audit(page, "my-work")
        take = row.get_by_role("button", name=re.compile("^Nhận việc"))
        if take.count():
            take.click()
        else:
            row.get_by_role("link", name=re.compile("^Làm việc")).click()
        page.wait_for_url(re.compile(r".*/execute/$"))
        assert task_title in page.locator("h1").first.inner_text()

    def open_task(self, page, flow_menu, task_title, row_text):
        """Open the task ``task_title`` of the row with ``row_text``: from the inbox when it is the user's,
        else taken from the queue (whether a task is assigned straight away is the flow's business)."""
        ui.side_menu(page, flow_menu)
        ui.side_menu(page, "Hộp công việc")
        page.wait_for_url(re.compile(r".*/inbox/.*"))
        page.locator("table.vf-list__table").wait_for()
        self.audit(page, "inbox")
        row = page.locator("table tbody tr", has_text=row_text).filter(has_text=task_title)
        if row.count():
            row.first.get_by_role("link").first.click()
        else:
            ui.side_menu(page, "Hàng chờ")
            page.wait_for_url(re.compile(r".*/queue/.*"))
            page.locator("table tbody tr", has_text=row_text).filter(has_text=task_title).first.get_by_role(
                "link"
            ).first.click()
            page.wait_for_url(re.compile(r".*/assign/$"))
            self.shot(page, "take-task")
            page.locator("form button[name=_continue]").click()  # "Nhận việc và tiếp tục": on to the form
        page.wait_for_url(re.compile(r".*/execute/$"))
        assert task_title in page.locator("h1").first.inner_text()

    def attach(self, page, kind, file_name, nomination=None):
        page.get_by_role("link", name="Đính kèm tài liệu").click()
        page.wait_for_url(re.compile(r".*/attachments/add/$"))
        page.get_by_label("Loại tài liệu").select_option(label=kind)
        if nomination:
            page.get_by_label("Thuộc đề nghị").select_option(label=f"{nomination} – {AWARD}")
        page.get_by_label(re.compile("Tệp")).set_input_files(self.files / file_name)
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_url(re.compile(r".*/dossiers/submissions/\d+/$"))
        assert "Đã đính kèm tài liệu." in ui.visible_text(page)

    def add_nomination(self, page, name, gender, year):
        page.get_by_role("link", name="Thêm đề nghị").click()
        page.wait_for_url(re.compile(r".*/nominations/add/$"))
        page.get_by_label("Đối tượng").select_option(label="Cá nhân")
        page.get_by_label("Họ và tên / tên tập thể").fill(name)
        page.get_by_label("Giới tính").select_option(label=gender)
        page.get_by_label("Năm sinh").fill(str(year))
        page.get_by_label("Dân tộc").fill("Tày")
        page.get_by_label("Chức vụ, nghề nghiệp").fill("Tổ viên tổ dân phố")
        page.get_by_label("Hình thức đề nghị").select_option(label=AWARD)
        page.get_by_label("Tóm tắt thành tích").fill("Tích cực tham gia giữ gìn vệ sinh khu phố (minh họa).")
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_url(re.compile(r".*/dossiers/submissions/\d+/$"))
        assert "Đã lưu đề nghị." in ui.visible_text(page)

    # --- the steps -----------------------------------------------------------------------------------

    def clerk_prepares(self):
        page = self.as_user(CLERK)
        self.open_task(page, "Đề nghị khen thưởng", "Hoàn thiện hồ sơ, trình thủ trưởng", UNIT)
        self.shot(page, "clerk-task")
        # Two people for a Giấy khen; the draft nominee is withdrawn after a confirmation.
        self.add_nomination(page, KEPT, "Nữ", 1982)
        self.add_nomination(page, STRUCK, "Nam", 1975)
        page.locator("tr", has_text=WITHDRAWN).get_by_role("link", name="Rút").click()
        assert WITHDRAWN in ui.visible_text(page)
        self.shot(page, "clerk-withdraw-confirm")
        page.get_by_role("button", name="Rút đề nghị").click()
        page.wait_for_url(re.compile(r".*/dossiers/submissions/\d+/$"))
        assert "Đã rút đề nghị khỏi hồ sơ." in ui.visible_text(page)
        self.attach(page, "Biên bản họp xét khen thưởng của đơn vị", "bien-ban.pdf")
        self.attach(page, "Báo cáo thành tích", "bao-cao.pdf", KEPT)
        self.attach(page, "Báo cáo thành tích", "bao-cao.pdf", STRUCK)
        self.shot(page, "clerk-dossier")
        self.open_task(page, "Đề nghị khen thưởng", "Hoàn thiện hồ sơ, trình thủ trưởng", UNIT)
        assert "Còn thiếu" not in ui.visible_text(page)
        ui.fill(page, "comment", "Kính trình thủ trưởng ký tờ trình.")
        ui.submit(page, leaving="/execute/")
        self.shot(page, "clerk-sent")

    def head_submits(self):
        page = self.as_user(HEAD)
        # The head takes the dossier from 'Việc của tôi' (it waits in the unit heads' queue).
        self.from_my_work(page, "Thủ trưởng đơn vị duyệt", UNIT)
        ui.pick_radio(page, "Ký, trình hồ sơ")
        self.shot(page, "head-form")
        ui.submit(page, leaving="/execute/")

    def reviewer_asks_for_completion(self):
        page = self.as_user(REVIEWER)
        self.open_task(page, "Đề nghị khen thưởng", "Thẩm định hồ sơ", UNIT)
        self.choose_per_nomination(page, KEPT, "Đạt")
        self.choose_per_nomination(page, STRUCK, "Yêu cầu bổ sung", note="Bổ sung xác nhận của tổ dân phố.")
        self.shot(page, "review-form")
        ui.submit(page, leaving="/execute/")

    def choose_per_nomination(self, page, name, choice, note=""):
        field = page.locator("vf-field-radio-select", has_text=name)
        field.get_by_label(choice, exact=True).check()
        if note:
            # The note field follows its nomination's choice.
            page.locator("vf-field-radio-select", has_text=name).locator(
                "xpath=ancestor::div[contains(@class, 'mdc-layout-grid__cell')][1]/following-sibling::div[1]//textarea"
            ).fill(note)

    def clerk_completes(self):
        page = self.as_user(CLERK)
        self.open_task(page, "Đề nghị khen thưởng", "Bổ sung hồ sơ theo yêu cầu", UNIT)
        assert "Bổ sung xác nhận của tổ dân phố." in ui.visible_text(page)
        self.shot(page, "completion-task")
        self.attach(page, "Tài liệu khác", "bo-sung.pdf", STRUCK)
        self.open_task(page, "Đề nghị khen thưởng", "Bổ sung hồ sơ theo yêu cầu", UNIT)
        ui.fill(page, "comment", "Đã bổ sung xác nhận của tổ dân phố.")
        ui.submit(page, leaving="/execute/")

    def reviewer_accepts(self):
        page = self.as_user(REVIEWER)
        # The second round comes back to the same reviewer, in her inbox.
        self.open_task(page, "Đề nghị khen thưởng", "Thẩm định hồ sơ", UNIT)
        assert STRUCK in ui.visible_text(page)
        self.choose_per_nomination(page, STRUCK, "Đạt")
        self.shot(page, "review-round-2")
        ui.submit(page, leaving="/execute/")

    def secretary_opens_session(self):
        page = self.as_user(SECRETARY)
        ui.side_menu(page, "Họp Hội đồng")
        page.get_by_role("link", name="Mở phiên họp, điểm danh").click()
        page.wait_for_url(re.compile(r".*/council/start/$"))
        ui.choose(page, "council", COUNCIL)
        ui.choose(page, "campaign", CAMPAIGN)
        ui.fill(page, "title", SESSION)
        ui.fill(page, "place", "Phòng họp số 1, UBND phường Kỳ Lừa")
        ui.tick(page, f"{KEPT} – {AWARD} ({UNIT})")
        ui.tick(page, f"{STRUCK} – {AWARD} ({UNIT})")
        # Forgetting the attendance: the error shows next to the list, and nothing is opened.
        ui.submit_invalid(page)
        attendance = page.locator("fieldset", has_text="Thành viên có mặt")
        assert "bắt buộc" in attendance.inner_text()
        assert attendance.locator(".thidua-checkboxes__help").is_visible()
        self.shot(page, "session-form-error")
        # The agenda ticks were kept; tick who is present.
        assert page.get_by_label(f"{KEPT} – {AWARD} ({UNIT})", exact=True).is_checked()
        for label in page.locator("fieldset", has_text="Thành viên có mặt").locator("label").all_inner_texts():
            ui.tick(page, label)
        self.shot(page, "session-form")
        ui.submit(page, leaving="/start/")
        page.get_by_text(re.compile("Đã mở phiên họp")).wait_for()

    def members_vote(self):
        receipts = {}
        for username in MEMBERS:
            page = self.as_user(username)
            if username == FIRST_MEMBER:
                self.from_my_work(page, "Bỏ phiếu", SESSION)  # the ballot among her tasks
            else:
                self.open_task(page, "Họp Hội đồng", "Bỏ phiếu", SESSION)
            for fieldset in page.locator("fieldset.thidua-ballot").all():
                fieldset.get_by_label("Tán thành", exact=True).check()
            if not receipts:
                self.shot(page, "ballot")
            ui.submit(page, leaving="/execute/")
            receipt = page.locator(".thidua-receipt__code")
            receipt.wait_for()
            code = receipt.inner_text().strip()
            assert re.fullmatch(r"[A-Z0-9-]{6,}", code), code
            assert code not in receipts.values()
            receipts[username] = code
            if len(receipts) == 1:
                self.shot(page, "receipt")
            if len(receipts) == len(MEMBERS) - 1:
                self.secretary_sees_who_has_not_voted(full_name_left=list(MEMBERS.values())[-1])
        # Voting ended with the last ballot: the session page publishes every receipt of the round.
        page = self.as_user(SECRETARY)
        page.reload()
        assert "Đã kết thúc" in ui.visible_text(page)
        published = page.locator("code").all_inner_texts()
        assert sorted(published) == sorted(receipts.values())
        self.shot(page, "session-closed")
        return receipts

    def secretary_sees_who_has_not_voted(self, full_name_left):
        """Before the last ballot: closing asks for a confirmation naming who has not voted; she goes back."""
        page = self.as_user(SECRETARY)
        self.open_task(page, "Họp Hội đồng", "Kết thúc biểu quyết", SESSION)
        text = ui.visible_text(page)
        assert full_name_left in text
        self.shot(page, "close-voting-confirm")
        page.get_by_role("link", name="Quay lại").click()
        page.wait_for_url(re.compile(r".*/sessions/\d+/$"))

    def secretary_drafts_decision(self):
        page = self.as_user(SECRETARY)
        ui.side_menu(page, "Ký quyết định")
        page.get_by_role("link", name="Dự thảo quyết định, tờ trình").click()
        page.wait_for_url(re.compile(r".*/decision/start/$"))
        ui.choose(page, "campaign", CAMPAIGN)
        ui.choose(page, "award_type", AWARD)
        ui.tick(page, f"{KEPT} – {AWARD} ({UNIT})")
        ui.tick(page, f"{STRUCK} – {AWARD} ({UNIT})")
        self.shot(page, "decision-form")
        ui.submit(page, leaving="/start/")

    def chairman_signs(self):
        page = self.as_user(CHAIRMAN)
        self.open_task(page, "Ký quyết định", "Ký quyết định", f"Về việc tặng {AWARD}")
        ui.pick_radio(page, "Ký ban hành")
        page.get_by_label(f"Gạch tên: {STRUCK}", exact=True).check()
        page.locator("vf-field-input[name^=reason_]").last.locator("input").fill("Chưa đủ thời gian công tác.")
        ui.fill(page, "password", "mat-khau-sai")
        ui.submit_invalid(page)
        assert "Mật khẩu xác nhận không đúng." in page.locator("vf-field-password").inner_text()
        ui.fill(page, "password", ui.DEMO_PASSWORD)
        self.shot(page, "sign-form")
        ui.submit(page, leaving="/execute/")

    def documents_and_certificates(self):
        page = self.as_user(SECRETARY)
        ui.side_menu(page, "Quyết định")
        ui.row_link(page, f"Về việc tặng {AWARD}").click()
        page.wait_for_url(re.compile(r".*/decisions/\d+/$"))
        text = ui.visible_text(page)
        assert "Đã in 1/1 giấy khen" in text, text
        self.shot(page, "decision-page")
        with page.expect_download() as download:
            page.get_by_role("link", name="Quyết định (DOCX)").click()
        assert download.value.suggested_filename.endswith(".docx")
        with page.expect_download() as download:
            page.get_by_role("link", name="Tải tất cả (zip)").click()
        assert download.value.suggested_filename.endswith(".zip")

    def public_pages(self):
        page = self.as_user(SECRETARY)
        with page.context.expect_page() as opened:
            page.get_by_role("link", name="Trang công bố kết quả").click()
        public = opened.value
        public.wait_for_load_state()
        text = ui.visible_text(public)
        assert KEPT in text and STRUCK not in text
        self.shot(public, "public-results")
        with page.context.expect_page() as opened:
            page.locator("tr", has_text=KEPT).get_by_role("link", name="Xác thực giấy khen").click()
        verify = opened.value
        verify.wait_for_load_state()
        assert "Giấy khen hợp lệ." in ui.visible_text(verify)
        self.shot(verify, "verify")
        self.verify_page = verify

    def chairman_revokes(self):
        """The chairman revokes the decision: a page saying what will happen, the reason, the password again."""
        page = self.as_user(CHAIRMAN)
        ui.side_menu(page, "Quyết định")
        ui.row_link(page, f"Về việc tặng {AWARD}").click()
        page.wait_for_url(re.compile(r".*/decisions/\d+/$"))
        page.get_by_role("link", name="Hủy bỏ quyết định…").click()
        page.wait_for_url(re.compile(r".*/decisions/\d+/revoke/$"))
        assert "không thể hoàn tác" in ui.visible_text(page)
        page.get_by_label("Lý do hủy bỏ quyết định").fill("Kê khai thành tích không đúng (minh họa).")
        page.get_by_label("Nhập lại mật khẩu để xác nhận hủy bỏ").fill(ui.DEMO_PASSWORD)
        self.shot(page, "revoke-confirm")
        page.get_by_role("button", name="Hủy bỏ quyết định").click()
        page.wait_for_url(re.compile(r".*/decisions/\d+/$"))
        assert "Quyết định đã bị hủy bỏ" in ui.visible_text(page)
        self.verify_page.reload()
        assert "Quyết định khen thưởng này đã bị hủy bỏ." in ui.visible_text(self.verify_page)
        self.shot(self.verify_page, "verify-revoked")
