"""Python SDK of the Event Management Platform's REST API v1.

``emp_sdk.generated`` is generated from the OpenAPI document by
openapi-python-client (``make sdks``; never edit it); this package adds what a
generator cannot know: a client with the platform's defaults, cursor paging over
any list operation, and webhook signature verification.

    from emp_sdk import connect, iterate
    from emp_sdk.generated.api.events import events_list

    client = connect("https://events.example", "emp_test_...")
    for event in iterate(events_list, client, page_size=50):
        print(event.title)
"""

from __future__ import annotations

from emp_sdk.client import connect
from emp_sdk.generated import AuthenticatedClient, Client
from emp_sdk.paging import iterate, pages
from emp_sdk.webhooks import WebhookVerificationError, verify

__all__ = ["AuthenticatedClient", "Client", "WebhookVerificationError", "connect", "iterate", "pages", "verify"]
