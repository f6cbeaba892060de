from django.urls import path

from ..invitation_urls import urlpatterns as invitation_urls
from . import views


app_name = "interventions"

# Mounted inside i18n_patterns (fa at the root, English under /en/), before Wagtail's pages.
urlpatterns = [
    path("interventions/", views.public_list, name="list"),
    path("interventions/<uuid:public_id>/", views.detail, name="detail"),
    *invitation_urls,
]
