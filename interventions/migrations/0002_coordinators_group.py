"""The "Intervention coordinators" group: they open interventions for verified problems and
move them through the stages; they read reports (to choose them) but moderate nothing."""

from django.db import migrations


def coordinators(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; this one needs them now.
    for app_label in ("interventions", "problems", "wagtailadmin"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Intervention coordinators")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="interventions",
            codename__in=[
                "view_intervention",
                "add_intervention",
                "change_intervention",
                "coordinate_intervention",
            ],
        ),
        *Permission.objects.filter(content_type__app_label="problems", codename="view_report"),
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
    )


def remove(apps, schema_editor):
    # No cascading delete: unapplied with the sms app's migrations, the deletion collector
    # meets historical models of another state ("Cannot query Group object: Must be Group
    # instance"); the group's own links are cleared first, then the row goes.
    groups = apps.get_model("auth", "Group").objects.filter(name="Intervention coordinators")
    for group in groups:
        group.permissions.clear()
        group.user_set.clear()
    groups._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0001_initial"),
        ("problems", "0002_seed_taxonomy"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(coordinators, remove)]
