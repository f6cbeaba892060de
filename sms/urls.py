from django.urls import path

from . import views


# Machine endpoints: outside the language prefix.
urlpatterns = [
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
