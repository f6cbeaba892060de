"""Registration managers read group members (and their sign-in audit trail) and review the
changes groups propose; editors hold none of it."""

from django.db import migrations


MANAGER_PERMISSIONS = ["view_member", "view_groupaccount", "view_proposedchange"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    managers = Group.objects.filter(name="Registration managers").first()
    if managers is not None:
        managers.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="accounts", codename__in=MANAGER_PERMISSIONS
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    managers = Group.objects.filter(name="Registration managers").first()
    if managers is not None:
        managers.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="accounts", codename__in=MANAGER_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_accounttexts_mobile_changed_en_and_more"),
        ("registrations", "0003_registration_managers_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
