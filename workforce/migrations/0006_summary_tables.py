import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('workforce', '0005_commissioner_scopes'),
        ('selfassess', '0003_development_plan_goals'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AreaRefresh',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', 'Waiting'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='pending', max_length=10)),
                ('requested_at', models.DateTimeField(auto_now_add=True)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('threshold', models.PositiveSmallIntegerField(default=5)),
                ('population', models.PositiveIntegerField(default=0)),
                ('message', models.TextField(blank=True)),
            ],
            options={
                'verbose_name': 'area figures refresh',
                'verbose_name_plural': 'area figures refreshes',
                'ordering': ['-requested_at', '-pk'],
                'indexes': [models.Index(fields=['status', '-finished_at'], name='arearefresh_done_idx')],
            },
        ),
        migrations.CreateModel(
            name='PractitionerSummary',
            fields=[
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='workforce_summary', serialize=False, to=settings.AUTH_USER_MODEL)),
                ('completed_at', models.DateTimeField()),
                ('target_level', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('highest_levels', models.JSONField(default=dict)),
                ('not_achieved', models.JSONField(default=list)),
                ('refreshed_at', models.DateTimeField(auto_now=True)),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='selfassess.assessment')),
            ],
            options={
                'verbose_name': 'practitioner summary',
                'verbose_name_plural': 'practitioner summaries',
            },
        ),
        migrations.CreateModel(
            name='AreaCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('geo', models.CharField(max_length=30)),
                ('dim', models.CharField(blank=True, max_length=20)),
                ('value', models.CharField(blank=True, max_length=40)),
                ('measure', models.CharField(max_length=10)),
                ('key', models.CharField(max_length=30)),
                ('count', models.PositiveIntegerField()),
                ('hidden', models.BooleanField(default=False)),
                ('refresh', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cells', to='workforce.arearefresh')),
            ],
            options={
                'verbose_name': 'area figure',
                'verbose_name_plural': 'area figures',
                'indexes': [models.Index(fields=['refresh', 'geo', 'dim', 'value', 'measure'], name='areacell_query_idx')],
            },
        ),
    ]
