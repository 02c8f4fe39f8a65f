"""The OAuth 2.0 authorization server with OpenID Connect, built on django-oauth-toolkit (mounted at /o/)."""
