from django.urls import path, re_path

from . import views as api


# Mounted at /api/registrations/, outside the language prefix (Accept-Language decides).
# public_id is checked in the view, so a malformed one gets the API's JSON 404 too.
urlpatterns = [
    path("", api.RegistrationCreate.as_view(), name="api-registration-create"),
    path("status/", api.RegistrationStatusLookup.as_view(), name="api-registration-status"),
    path(
        "<path:public_id>/confirm/",
        api.RegistrationConfirm.as_view(),
        name="api-registration-confirm",
    ),
    path(
        "<path:public_id>/resend/",
        api.RegistrationResend.as_view(),
        name="api-registration-resend",
    ),
    # Anything else under /api/registrations/ gets a JSON 404, not the site's HTML page
    # ([\s\S], not ".": a path may hold a newline, which "." does not match).
    re_path(r"^[\s\S]*$", api.NotFound.as_view()),
]
