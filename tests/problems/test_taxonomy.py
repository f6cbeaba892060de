from django.contrib.auth.models import Group

import pytest

from problems.models import Problem, ProblemCategory
from registrations.choices import ActivityField, Capacity


pytestmark = pytest.mark.django_db


def test_seeded_taxonomy_names_the_issues_problems():
    names = set(Problem.objects.values_list("name_fa", flat=True))
    for expected in (
        "اعتیاد",
        "بیکاری",
        "فقر",
        "حاشیه‌نشینی",
        "کودکان کار",
        "ترک تحصیل",
        "خشونت خانگی",
        "سالمندان بی‌سرپرست",
        "مسکن",
        "کم‌آبی",
    ):
        assert expected in names
    assert ProblemCategory.objects.count() >= 5
    assert all(problem.name_en for problem in Problem.objects.all())


def test_every_seeded_problem_maps_to_known_fields_and_capacities():
    for problem in Problem.objects.all():
        assert problem.fields_of_activity and problem.capacities, problem.slug
        assert set(problem.fields_of_activity) <= set(ActivityField.values)
        assert set(problem.capacities) <= set(Capacity.values)
        problem.full_clean()


def test_unknown_field_of_activity_is_refused():
    from django.core.exceptions import ValidationError

    problem = Problem.objects.first()
    problem.fields_of_activity = ["astrology"]
    with pytest.raises(ValidationError) as error:
        problem.full_clean()
    assert "fields_of_activity" in error.value.message_dict


def test_name_follows_the_language():
    from django.utils import translation

    problem = Problem.objects.get(slug="addiction")
    assert str(problem) == "اعتیاد"
    with translation.override("en"):
        assert str(problem) == "Addiction"


def test_moderators_group_holds_the_moderation_permission():
    group = Group.objects.get(name="Problem moderators")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"moderate_report", "view_report", "access_admin"} <= codenames
