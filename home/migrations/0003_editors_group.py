"""Editors edit, publish and translate pages and manage images, documents and media: nothing else.

Wagtail's own migrations create the group with add/edit page rights and collection rights;
this adds publishing, locking and media choosing, so an editor can finish their work alone.
"""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    Collection = apps.get_model("wagtailcore.Collection")
    Page = apps.get_model("wagtailcore.Page")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")

    editors, _ = Group.objects.get_or_create(name="Editors")
    root = Page.objects.get(depth=1)
    page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
        permission = Permission.objects.get(content_type=page_type, codename=codename)
        GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=permission)

    root_collection = Collection.objects.get(depth=1)
    media_type = ContentType.objects.get(app_label="wagtailmedia", model="media")
    for codename in ("add_media", "change_media", "delete_media"):
        permission, _ = Permission.objects.get_or_create(
            content_type=media_type, codename=codename, defaults={"name": codename}
        )
        GroupCollectionPermission.objects.get_or_create(
            group=editors, collection=root_collection, permission=permission
        )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_site_root_and_locales"),
        ("wagtailmedia", "0005_alter_media_options"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("wagtailadmin", "0005_editingsession_is_editing"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
