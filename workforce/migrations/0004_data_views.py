import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('workforce', '0003_role_requirements'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DataView',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('viewer_name', models.CharField(max_length=150, verbose_name='seen by')),
                ('what', models.CharField(choices=[('team_page', 'Team page'), ('member_page', 'Your shared self-assessment and CPD'), ('export', 'Team download')], max_length=20, verbose_name='what was seen')),
                ('viewed_at', models.DateTimeField(auto_now_add=True, verbose_name='when')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='workforce.organisation', verbose_name='organisation')),
                ('subject', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shared_data_views', to=settings.AUTH_USER_MODEL, verbose_name='whose data')),
                ('team', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='workforce.team', verbose_name='team')),
                ('viewer', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='seen by')),
            ],
            options={
                'verbose_name': 'view of shared data',
                'verbose_name_plural': 'views of shared data',
                'ordering': ['-viewed_at', '-pk'],
                'indexes': [models.Index(fields=['subject', '-viewed_at'], name='dataview_subject_idx')],
            },
        ),
    ]
