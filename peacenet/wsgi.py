"""WSGI entry point for gunicorn: ``gunicorn peacenet.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacenet.settings")

application = get_wsgi_application()
