from django.urls import path

from . import views


# Machine endpoints and the short SMS link: outside the language prefix.
urlpatterns = [
    path("s/<str:token>/", views.sms_link, name="sms-link"),
    path(
        "sms/<str:provider>/inbound/<str:secret>/",
        views.inbound_webhook,
        name="sms-inbound-webhook",
    ),
    path(
        "sms/<str:provider>/status/<str:secret>/",
        views.report_webhook,
        name="sms-report-webhook",
    ),
]
