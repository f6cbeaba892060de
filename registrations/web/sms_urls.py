from django.urls import path

from . import views


# The short link sent by SMS: outside the language prefix.
urlpatterns = [
    path("s/<str:token>/", views.sms_link, name="sms-link"),
]
