from django.core.management.base import BaseCommand, CommandError

from workflow import audit


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của nhật ký (verify the audit trail's hash chain)."

    def handle(self, *args, **options):
        ok, bad_id, message = audit.verify()
        if not ok:
            # CommandError exits with status 1.
            raise CommandError(f"sự kiện #{bad_id} (event_id={bad_id}): {message}")
        self.stdout.write(message)
