"""Settings of the server the browser tests drive (`tests/e2e/conftest.py` starts it).

Production's behaviour (DEBUG off, gunicorn, WhiteNoise) with every value from the
environment the tests give it. The differences: WhiteNoise serves the static files from the
source folders, so the run needs no collectstatic step; and passwords hashed with the test
session's fast MD5 are accepted (its database is a copy of the session's; a sign-in rehashes
the password with the first hasher, as after any hasher change).
"""

from django.conf import global_settings

from config.settings.base import *  # noqa: F403


WHITENOISE_USE_FINDERS = True

PASSWORD_HASHERS = [
    *global_settings.PASSWORD_HASHERS,
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
