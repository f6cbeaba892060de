"""A starting taxonomy of Iran's social problems, and the "Problem moderators" group.

Staff edit it afterwards as snippets; this runs once. Each problem lists the fields of
activity and capacities (registrations.choices) that typically address it, for matching.
"""

from django.db import migrations


# category slug, fa, en, [(problem slug, fa, en, fields of activity, capacities)]
TAXONOMY = [
    ("harms", "آسیب‌های اجتماعی", "Social harms", [
        ("addiction", "اعتیاد", "Addiction", ["addiction", "social_harm", "health"],
         ["counselling", "specialists", "venue"]),
        ("domestic-violence", "خشونت خانگی", "Domestic violence", ["women_family", "social_harm"],
         ["counselling", "specialists", "venue"]),
        ("child-labour", "کودکان کار", "Child labour", ["children_youth", "social_harm", "education"],
         ["volunteers", "training", "funding"]),
        ("homelessness", "کارتن‌خوابی", "Homelessness", ["social_harm", "charity", "health"],
         ["venue", "volunteers", "funding"]),
        ("neighbourhood-safety", "ناامنی محله", "Neighbourhood safety",
         ["neighbourhood", "social_interaction"], ["volunteers", "network"]),
    ]),
    ("livelihood", "معیشت و اشتغال", "Livelihood and work", [
        ("unemployment", "بیکاری", "Unemployment", ["employment"],
         ["training", "network", "funding"]),
        ("poverty", "فقر", "Poverty", ["charity", "employment"], ["funding", "volunteers"]),
        ("informal-settlements", "حاشیه‌نشینی", "Informal settlements",
         ["neighbourhood", "social_harm", "popular_participation"],
         ["volunteers", "specialists", "network"]),
        ("housing", "مسکن", "Housing", ["neighbourhood", "charity"], ["funding", "specialists"]),
    ]),
    ("family", "خانواده", "Family", [
        ("family-breakdown", "فروپاشی خانواده و طلاق", "Family breakdown and divorce",
         ["women_family"], ["counselling", "specialists"]),
        ("elderly-without-carers", "سالمندان بی‌سرپرست", "Elderly people without carers",
         ["elderly_disability", "health", "charity"], ["volunteers", "transport", "venue"]),
        ("mentally-ill-without-guardians", "بیماران روانی مزمن بی‌سرپرست",
         "Chronically mentally ill without guardians", ["health", "social_harm"],
         ["specialists", "venue", "counselling"]),
    ]),
    ("education", "آموزش", "Education", [
        ("school-drop-out", "ترک تحصیل", "School drop-out", ["education", "children_youth"],
         ["training", "volunteers", "funding"]),
        ("illiteracy", "بی‌سوادی", "Illiteracy", ["education"], ["training", "volunteers", "venue"]),
    ]),
    ("health-access", "سلامت و دسترسی", "Health and access", [
        ("disability-access", "معلولیت و دسترسی‌پذیری", "Disability and access",
         ["elderly_disability", "health"], ["equipment", "specialists", "funding"]),
        ("health-care-access", "دسترسی به خدمات درمانی", "Access to health care",
         ["health"], ["specialists", "transport", "funding"]),
    ]),
    ("environment", "محیط زیست و آب", "Environment and water", [
        ("water-shortage", "کم‌آبی", "Water shortage", ["environment"],
         ["equipment", "specialists", "media"]),
        ("pollution-waste", "آلودگی و پسماند", "Pollution and waste", ["environment", "neighbourhood"],
         ["volunteers", "equipment", "media"]),
    ]),
    ("community", "همبستگی اجتماعی", "Community life", [
        ("lack-of-public-space", "نبود فضای عمومی و فرهنگی", "No public or cultural space",
         ["culture_art", "sport", "neighbourhood"], ["venue", "funding"]),
        ("youth-idleness", "بی‌برنامگی نوجوانان و جوانان", "Young people without activities",
         ["children_youth", "sport", "culture_art"], ["venue", "volunteers", "training"]),
    ]),
]


def seed(apps, schema_editor):
    Category = apps.get_model("problems", "ProblemCategory")
    Problem = apps.get_model("problems", "Problem")
    for c_order, (slug, fa, en, problems) in enumerate(TAXONOMY):
        category, _ = Category.objects.get_or_create(
            slug=slug, defaults={"name_fa": fa, "name_en": en, "sort_order": c_order}
        )
        for p_order, (p_slug, p_fa, p_en, fields, capacities) in enumerate(problems):
            Problem.objects.get_or_create(
                slug=p_slug,
                defaults={
                    "category": category, "name_fa": p_fa, "name_en": p_en,
                    "sort_order": p_order, "fields_of_activity": fields, "capacities": capacities,
                },
            )


def moderators(apps, schema_editor):
    """Moderators see, verify, reject, merge and resolve reports; nobody else does."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; this one needs them now.
    for app_label in ("problems", "wagtailadmin"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Problem moderators")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="problems",
            codename__in=["view_report", "change_report", "moderate_report"],
        ),
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
    )


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Problem moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("problems", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(moderators, unseed),
    ]
