import os
from importlib import import_module

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
application = get_wsgi_application()

# Every URL pattern, and with them every view module and the API's schemas, is imported now,
# while the worker starts and before it accepts a connection, not by its first request: about
# a second of CPU that request, and every request queued behind it, would otherwise wait for.
# Gunicorn starts each worker anew after GUNICORN_MAX_REQUESTS requests.
get_resolver().url_patterns  # noqa: B018
# The libraries that pages import only when they draw with them, so that management commands
# and the task worker start without them, are imported now for the same reason: matplotlib
# for the indicators' charts, scipy.stats for the impact monitoring (half a second between them).
for library in ("matplotlib.figure", "scipy.stats"):
    import_module(library)
