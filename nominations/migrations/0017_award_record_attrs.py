"""Issue 16: award records carry their recipient's attributes (copied at decision time) and an index on
(issuer, decision date), so that the TT 02/2023 statistics read one table; and their counts are kept ahead per
decision (AwardTally). Existing records take their candidate's current attributes: the best the data holds for
awards written before the copy existed."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

COPIED = ("gender", "ethnicity", "leader_level", "business_person", "direct_worker")


def fill(apps, schema_editor):
    AwardRecord = apps.get_model("nominations", "AwardRecord")
    Candidate = apps.get_model("nominations", "Candidate")
    candidate = Candidate.objects.filter(pk=OuterRef("candidate_id"))
    AwardRecord.objects.update(
        recipient_kind=Subquery(candidate.values("kind")[:1]),
        **{name: Subquery(candidate.values(name)[:1]) for name in COPIED},
    )


def count(apps, schema_editor):
    from nominations.services.award_records import tallies

    AwardRecord = apps.get_model("nominations", "AwardRecord")
    AwardTally = apps.get_model("nominations", "AwardTally")
    AwardTally.objects.bulk_create(tallies(AwardRecord.objects.all(), AwardTally), batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0016_merge"),
    ]

    operations = [
        migrations.AddField(
            model_name="awardrecord",
            name="recipient_kind",
            field=models.CharField(
                choices=[
                    ("individual", "Cá nhân"),
                    ("collective", "Tập thể"),
                    ("household", "Hộ gia đình"),
                    ("enterprise", "Doanh nghiệp"),
                ],
                default="",
                max_length=12,
                verbose_name="đối tượng",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="awardrecord",
            name="gender",
            field=models.CharField(
                blank=True, choices=[("male", "Nam"), ("female", "Nữ")], max_length=6, verbose_name="giới tính"
            ),
        ),
        migrations.AddField(
            model_name="awardrecord",
            name="ethnicity",
            field=models.CharField(blank=True, max_length=64, verbose_name="dân tộc"),
        ),
        migrations.AddField(
            model_name="awardrecord",
            name="leader_level",
            field=models.CharField(
                blank=True,
                choices=[
                    ("province", "Lãnh đạo cấp bộ, tỉnh và tương đương"),
                    ("department", "Lãnh đạo cấp vụ, sở, huyện và tương đương"),
                    ("unit", "Lãnh đạo cấp phòng, xã và tương đương"),
                ],
                default="",
                max_length=12,
                verbose_name="cán bộ lãnh đạo, quản lý",
            ),
        ),
        migrations.AddField(
            model_name="awardrecord",
            name="business_person",
            field=models.BooleanField(default=False, verbose_name="doanh nhân"),
        ),
        migrations.AddField(
            model_name="awardrecord",
            name="direct_worker",
            field=models.BooleanField(default=False, verbose_name="trực tiếp lao động, sản xuất"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="awardrecord",
            index=models.Index(fields=["issuer", "decision_date"], name="awardrecord_issuer_day"),
        ),
        migrations.CreateModel(
            name="AwardTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField()),
                ("counts", models.JSONField(default=dict)),
                (
                    "award_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="nominations.awardtype"
                    ),
                ),
                (
                    "campaign",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="nominations.campaign",
                    ),
                ),
                (
                    "decision",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="nominations.decision",
                    ),
                ),
                (
                    "issuer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="nominations.orgunit"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["issuer", "year"], name="awardtally_issuer_year")],
            },
        ),
        migrations.RunPython(count, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="awardrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(recipient_kind__in=["individual", "collective", "household", "enterprise"]),
                name="awardrecord_recipient_kind",
            ),
        ),
    ]
