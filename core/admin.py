"""The audit log's console page is registered in ``accounts.admin``.

Scoping it to the user's organizations needs ``accounts``, and the shared
kernel imports no other app (see the import-linter contracts).
"""
