"""The receiver of ``core.outbox.published``: after the writer's commit, hand new rows to the dispatch task.

Cheap by design (the registration hot path publishes): the organization's
flag of enabled subscriptions, kept in the cache (``selectors.has_enabled_subscription``;
one EXISTS on a miss or with the database cache), and no broker message at all
when the organization has none; such rows are marked dispatched by the sweep. When the
broker cannot be reached, ``send_now`` logs and returns: the sweep dispatches.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from core.jobs import send_now
from integrations import selectors


def on_subscription_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A subscription was saved or deleted: drop its organization's flag once that commits."""
    organization_id = instance.organization_id
    transaction.on_commit(lambda: selectors.forget_subscription_flag(organization_id))


def on_outbox_published(sender: Any, organization_id: uuid.UUID, ids: list[uuid.UUID], **kwargs: Any) -> None:
    if not selectors.has_enabled_subscription(organization_id=organization_id):
        return
    from integrations.tasks import dispatch_outbox

    send_now(dispatch_outbox, [str(i) for i in ids])
