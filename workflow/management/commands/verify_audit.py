from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from workflow import audit


class Command(BaseCommand):
    help = (
        "Kiểm tra chuỗi băm có khoá của nhật ký và các mốc neo ngoài "
        "(verify the audit trail's keyed hash chain against the external anchors)."
    )

    def handle(self, *args, **options):
        try:
            ok, bad_id, message = audit.verify()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if not ok:
            # CommandError exits with status 1.
            raise CommandError(f"sự kiện #{bad_id} (event_id={bad_id}): {message}")
        self.stdout.write(message)
