"""A new open state before review: the application waits for its references."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('register', '0008_notification_to_email'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='application',
            name='application_one_open_per_applicant',
        ),
        migrations.AlterField(
            model_name='application',
            name='status',
            field=models.CharField(choices=[('awaiting_references', 'Waiting for references'), ('submitted', 'Waiting for reviewers'), ('in_review', 'Being reviewed'), ('changes_requested', 'Changes requested'), ('moderation', 'With a moderator'), ('approved', 'Approved'), ('rejected', 'Not approved'), ('withdrawn', 'Withdrawn'), ('appealed', 'Appeal under consideration')], default='submitted', max_length=20),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['awaiting_references', 'submitted', 'in_review', 'changes_requested', 'moderation', 'appealed'])), fields=('applicant',), name='application_one_open_per_applicant'),
        ),
    ]
