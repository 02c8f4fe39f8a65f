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
    """A subscription or a calendar connection was saved or deleted: drop its organization's flag once that
    commits."""
    if getattr(instance, "kind", "calendar") != "calendar" or getattr(instance, "organization_id", None) is None:
        return
    organization_id = instance.organization_id
    transaction.on_commit(lambda: selectors.forget_subscription_flag(organization_id))


def on_outbox_published(sender: Any, organization_id: uuid.UUID, ids: list[uuid.UUID], **kwargs: Any) -> None:
    """Webhooks and calendars: one check of who listens (``selectors.outbox_listeners``), a task for each that does."""
    from integrations.tasks import calendars_on_outbox, dispatch_outbox

    listeners = selectors.outbox_listeners(organization_id=organization_id)
    if listeners.webhooks:
        send_now(dispatch_outbox, [str(i) for i in ids])
    if listeners.calendars:  # the task turns the rows into calendar sync jobs (integrations.calendars.sync)
        send_now(calendars_on_outbox, [str(i) for i in ids])
