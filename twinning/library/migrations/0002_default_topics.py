"""The topics the library starts with (models.DEFAULT_TOPICS); staff add more."""

from django.db import migrations

DEFAULTS = [
    ("exchanges", "Exchanges"),
    ("fundraising", "Fundraising"),
    ("advocacy", "Advocacy"),
    ("business-exchange", "Business exchange"),
    ("creative-economies", "Creative economies"),
    ("youth", "Youth"),
    ("municipal-peer-learning", "Municipal peer learning"),
    ("disaster-relief", "Disaster relief"),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("library", "Topic")
    for slug, name in DEFAULTS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
