"""Put a HomePage at the site root (replacing Wagtail's welcome page) and add the English locale."""

import uuid

from django.db import migrations


def create_home(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("home.HomePage")

    fa, _ = Locale.objects.get_or_create(language_code="fa")
    Locale.objects.get_or_create(language_code="en")

    welcome_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    Page.objects.filter(content_type=welcome_type, depth=2, slug="home").delete()

    home_type, _ = ContentType.objects.get_or_create(app_label="home", model="homepage")
    home = HomePage.objects.create(
        title="خانه",
        draft_title="خانه",
        slug="home",
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=fa,
        translation_key=uuid.uuid4(),
        live=True,
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.update_or_create(
        hostname="localhost",
        port=80,
        defaults={"root_page_id": home.pk, "is_default_site": True, "site_name": "نهضت مشارکت اجتماعی"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home, migrations.RunPython.noop)]
