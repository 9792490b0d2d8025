import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('workforce', '0002_invite_links'),
    ]

    operations = [
        migrations.CreateModel(
            name='RoleRequirement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('job_role', models.CharField(blank=True, choices=[('health_visitor', 'Health visitor'), ('specialist_health_visitor', 'Specialist health visitor'), ('midwife', 'Midwife'), ('nursery_practitioner', 'Nursery or early years practitioner'), ('nursery_manager', 'Nursery manager'), ('family_support', 'Family support worker'), ('perinatal_nurse', 'Perinatal mental health nurse'), ('social_worker', 'Social worker'), ('clinical_psychologist', 'Clinical psychologist'), ('parent_infant_psychotherapist', 'Parent-infant psychotherapist'), ('doctor', 'Doctor (for example GP, paediatrician or psychiatrist)'), ('team_lead', 'Team leader or service manager'), ('student', 'Student or trainee'), ('other', 'Other')], max_length=40, verbose_name='profession or role')),
                ('team_role', models.CharField(blank=True, choices=[('member', 'Member'), ('team_lead', 'Team lead'), ('organisation_admin', 'Organisation admin')], max_length=20, verbose_name='role in the team')),
                ('domain_number', models.PositiveSmallIntegerField(verbose_name='domain')),
                ('level', models.PositiveSmallIntegerField(choices=[(1, 'Level 1'), (2, 'Level 2'), (3, 'Level 3')], verbose_name='level')),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requirements', to='workforce.team', verbose_name='team')),
            ],
            options={
                'verbose_name': 'role requirement',
                'verbose_name_plural': 'role requirements',
                'ordering': ['team', 'job_role', 'team_role', 'domain_number'],
                'constraints': [models.UniqueConstraint(fields=('team', 'job_role', 'team_role', 'domain_number'), name='role_requirement_unique'), models.CheckConstraint(condition=models.Q(('domain_number__gte', 1), ('domain_number__lte', 7)), name='role_requirement_domain_1_to_7')],
            },
        ),
    ]
