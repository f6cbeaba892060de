from django.urls import path

from . import views


app_name = "accounts"

# Mounted inside i18n_patterns: /account/ in Persian, /en/account/ in English.
urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/code/", views.code, name="code"),
    path("account/code/resend/", views.resend, name="resend"),
    path("account/sign-out/", views.sign_out, name="sign_out"),
    path("account/link/<str:token>/", views.link, name="link"),
    path("account/members/", views.members, name="members"),
    path("account/mobile/", views.change_mobile, name="mobile"),
    path("account/registrations/<str:tracking_code>/", views.profile, name="profile"),
    path(
        "account/registrations/<str:tracking_code>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
]
