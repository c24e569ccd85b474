"""/api/v1/: the REST API (see docs/api.md)."""

from nastavnik.api.base import api_urls, new_api
from nastavnik.api.endpoints import ROUTERS

api = new_api()
for router in ROUTERS:
    api.add_router("", router)

api_patterns = api_urls(api)
