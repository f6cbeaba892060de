from django.urls import path

from . import views


app_name = "registrations"

# Mounted inside i18n_patterns, before Wagtail's page catch-all.
urlpatterns = [
    path("<str:campaign_slug>/register/", views.register, name="register"),
    path(
        "<str:campaign_slug>/register/<uuid:public_id>/confirm/",
        views.confirm,
        name="confirm",
    ),
    path(
        "<str:campaign_slug>/register/<uuid:public_id>/resend/",
        views.resend,
        name="resend",
    ),
    path("<str:campaign_slug>/register/<uuid:public_id>/done/", views.done, name="done"),
    path("<str:campaign_slug>/status/", views.status_lookup, name="status"),
]
