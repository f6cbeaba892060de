from django.urls import path

from . import views


app_name = "problems"

# Mounted inside i18n_patterns (fa at the root, English under /en/), before Wagtail's pages.
urlpatterns = [
    path("problems/", views.public_list, name="list"),
    path("problems/report/", views.report, name="report"),
    path("problems/report/mobile/", views.ask_code, name="ask-code"),
    path("problems/report/code/", views.enter_code, name="code"),
    path("problems/report/sent/<str:token>/", views.sent, name="sent"),
    path("problems/follow/<str:token>/", views.follow, name="follow"),
    path("problems/<str:number>/", views.detail, name="detail"),
    path("problems/<str:number>/support/", views.support, name="support"),
]
