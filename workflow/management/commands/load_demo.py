from django.core.management.base import BaseCommand

from nominations.demo import DEMO_PASSWORD, USERS, USERS_2025, USERS_KY_LUA
from workflow.demo import load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa: phong trào kỷ niệm 22 năm thành lập thành phố Lạng Sơn (2024)."

    def handle(self, *args, **options):
        result = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Đã nạp: {result['campaign']}"))
        for key in ("commune_rehearsal", "rehearsal"):
            self.stdout.write(
                f"Đợt diễn tập (nhận hồ sơ đến {result[key].nomination_deadline:%d/%m/%Y}): {result[key]}"
            )
        self.stdout.write(f"Tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD}):")
        self.stdout.write(f"  {'admin':<20} Quản trị hệ thống")
        for username, full_name, _unit, role, title in USERS + USERS_2025 + USERS_KY_LUA:
            self.stdout.write(f"  {username:<20} {full_name} – {title} ({role.label})")
