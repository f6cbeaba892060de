"""Staff groups for the back office.

"Registration managers" see, review and export registrations and see SMS messages;
"Editors" keep pages and media and hold no registration or SMS permission at all.
"""

from django.db import migrations


MANAGER_PERMISSIONS = {
    "registration": [
        "view_registration",
        "review_registration",
        "export_registration",
        "delete_registration",
    ],
    "smsmessage": ["view_smsmessage"],
}
PRIVATE_MODELS = ["registration", "smsmessage", "inboundsms", "smsoptout", "smsgatewaystate"]


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; this one needs them now.
    for app_label in ("registrations", "wagtailadmin"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")

    managers, _ = Group.objects.get_or_create(name="Registration managers")
    managers.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for model, codenames in MANAGER_PERMISSIONS.items():
        managers.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="registrations",
                content_type__model=model,
                codename__in=codenames,
            )
        )

    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="registrations", content_type__model__in=PRIVATE_MODELS
            )
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name="Registration managers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0002_backoffice"),
        ("home", "0003_editors_group"),
        ("wagtailadmin", "0005_editingsession_is_editing"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
