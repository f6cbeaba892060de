from django.urls import path

from ..invitation_urls import urlpatterns as invitation_urls
from . import manage, views


app_name = "interventions"

# Mounted inside i18n_patterns (fa at the root, English under /en/), before Wagtail's pages.
urlpatterns = [
    path("interventions/", views.public_list, name="list"),
    path("interventions/manage/", manage.manage_list, name="manage"),
    path("interventions/manage/<uuid:public_id>/", manage.manage_detail, name="manage-detail"),
    path(
        "interventions/manage/<uuid:public_id>/record/<slug:name>/",
        manage.manage_record,
        name="manage-record",
    ),
    path(
        "interventions/manage/<uuid:public_id>/advance/",
        manage.manage_advance,
        name="manage-advance",
    ),
    path("interventions/<uuid:public_id>/", views.detail, name="detail"),
    *invitation_urls,
]
