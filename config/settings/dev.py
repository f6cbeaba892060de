"""Local development: the defaults of base plus DEBUG on."""

from .base import *  # noqa: F403
from .base import env


DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
