from django.urls import path, re_path

from registrations.api.views import NotFound

from . import matching_api


# Mounted at /api/matching/, outside the language prefix (Accept-Language decides).
urlpatterns = [
    path("candidates/", matching_api.Candidates.as_view(), name="api-matching-candidates"),
    path(
        "interventions/<uuid:public_id>/candidates/",
        matching_api.InterventionCandidates.as_view(),
        name="api-matching-intervention",
    ),
    re_path(r"^[\s\S]*$", NotFound.as_view()),
]
