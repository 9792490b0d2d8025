"""A removed practitioner may apply again only once staff allow it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("register", "0010_references")]

    operations = [
        migrations.AddField(
            model_name='registerentry',
            name='readmission_allowed',
            field=models.BooleanField(db_default=False, default=False),
        ),
    ]
