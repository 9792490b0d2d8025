import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('workforce', '0004_data_views'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CommissionerScope',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('nation', models.CharField(choices=[('england', 'England'), ('scotland', 'Scotland'), ('wales', 'Wales'), ('northern_ireland', 'Northern Ireland')], max_length=20, verbose_name='UK nation')),
                ('region', models.CharField(blank=True, choices=[('England', [('north_east', 'North East'), ('north_west', 'North West'), ('yorkshire_humber', 'Yorkshire and the Humber'), ('east_midlands', 'East Midlands'), ('west_midlands', 'West Midlands'), ('east_of_england', 'East of England'), ('london', 'London'), ('south_east', 'South East'), ('south_west', 'South West')]), ('Scotland', [('scotland_north', 'North of Scotland'), ('scotland_east', 'East of Scotland'), ('scotland_west', 'West of Scotland')]), ('Wales', [('wales_north', 'North Wales'), ('wales_mid_west', 'Mid and West Wales'), ('wales_south', 'South Wales')]), ('Northern Ireland', [('ni_belfast', 'Belfast'), ('ni_northern', 'Northern'), ('ni_south_eastern', 'South Eastern'), ('ni_southern', 'Southern'), ('ni_western', 'Western')])], max_length=30, verbose_name='region')),
                ('granted_at', models.DateTimeField(auto_now_add=True, verbose_name='granted')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='commissioner_scopes', to=settings.AUTH_USER_MODEL, verbose_name='commissioner')),
            ],
            options={
                'verbose_name': "commissioner's area",
                'verbose_name_plural': "commissioners' areas",
                'constraints': [models.UniqueConstraint(fields=('user', 'nation', 'region'), name='commissioner_scope_unique')],
            },
        ),
    ]
