import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Each API request's query parameters are checked against the OpenAPI document's declarations
# (api.parameters); working them out walks every view (about half a second), so it is done here,
# at start-up, rather than by a partner's first request.
from api.parameters import declared  # noqa: E402

declared()
