import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
application = get_wsgi_application()

# Every URL pattern, and with them every view module and the API's schemas, is imported now,
# while the worker starts and before it accepts a connection, not by its first request: about
# a second of CPU that request, and every request queued behind it, would otherwise wait for.
# Gunicorn starts each worker anew after GUNICORN_MAX_REQUESTS requests.
get_resolver().url_patterns  # noqa: B018
