from django.core.management.base import BaseCommand

from workflow import audit_anchors


class Command(BaseCommand):
    help = (
        "Ghi một mốc neo có chữ ký của đầu chuỗi nhật ký vào tệp THIDUA_AUDIT_ANCHOR_PATH "
        "(append a signed checkpoint of the audit chain's head to the anchor file)."
    )

    def handle(self, *args, **options):
        line = audit_anchors.anchor()
        if line is None:
            self.stdout.write("Nhật ký trống: không có gì để neo (the trail is empty: nothing to anchor)")
        else:
            self.stdout.write(f"Đã neo sự kiện #{line['last_id']} ({line['count']} sự kiện) lúc {line['at']}")
