"""The group account's invitation pages, joined to interventions/web/urls.py (namespace
`interventions`): under /account/ like the rest of the group's account."""

from django.urls import path

from . import invitation_views


urlpatterns = [
    path("account/invitations/", invitation_views.invitation_list, name="invitations"),
    path("account/invitations/<str:token>/", invitation_views.invitation, name="invitation"),
]
