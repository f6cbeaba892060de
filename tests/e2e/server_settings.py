"""Settings of the server the browser tests drive (`tests/e2e/conftest.py` starts it).

Production's behaviour (DEBUG off, gunicorn, WhiteNoise) with every value from the
environment the tests give it. The only difference: WhiteNoise serves the static files
from the source folders, so the run needs no collectstatic step.
"""

from config.settings.base import *  # noqa: F403


WHITENOISE_USE_FINDERS = True
