from django.core.management.base import BaseCommand

from jobs.outbox import relay


class Command(BaseCommand):
    help = "Gửi lại các việc chạy nền còn chờ (outbox), như tác vụ định kỳ của celery beat."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="gửi ngay mọi việc chưa xong, không chờ hết thời gian chờ"
        )

    def handle(self, *args, now=False, **options):
        waits = {"unsent_after": 0, "resend_after": 0} if now else {}
        sent = relay(**waits)
        self.stdout.write(f"Đã gửi lại {sent} việc.")
