from django.urls import path

from . import api


# Mounted at /api/registrations/, outside the language prefix (Accept-Language decides).
urlpatterns = [
    path("", api.RegistrationCreate.as_view(), name="api-registration-create"),
    path("status/", api.RegistrationStatusLookup.as_view(), name="api-registration-status"),
    path(
        "<uuid:public_id>/confirm/",
        api.RegistrationConfirm.as_view(),
        name="api-registration-confirm",
    ),
    path(
        "<uuid:public_id>/resend/",
        api.RegistrationResend.as_view(),
        name="api-registration-resend",
    ),
]
