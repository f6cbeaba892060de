from django.urls import path, re_path

from registrations.api.views import NotFound

from . import views


# Mounted at /api/interventions/, outside the language prefix (Accept-Language decides).
urlpatterns = [
    path("", views.InterventionList.as_view(), name="api-interventions"),
    path("<str:public_id>/", views.InterventionDetail.as_view(), name="api-interventions-detail"),
    path(
        "<str:public_id>/stages/",
        views.InterventionStages.as_view(),
        name="api-interventions-stages",
    ),
    path(
        "<str:public_id>/participants/",
        views.InterventionParticipants.as_view(),
        name="api-interventions-participants",
    ),
    re_path(r"^[\s\S]*$", NotFound.as_view()),
]
