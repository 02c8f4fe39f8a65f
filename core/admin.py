"""The audit log's and the outbox's model admins are registered in ``accounts.admin``, beside the other platform records.

The admin site itself (platform superusers only) is ``core.admin_site``.
"""
