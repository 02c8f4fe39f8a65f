from typing import Any

from django.apps import AppConfig


def _audit_failed_sign_in(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    from accounts import services
    from core.net import client_ip

    ip = client_ip(request.META) if request is not None else ""
    email = str(credentials.get("username") or credentials.get("email") or "")[:254]
    services.auth_failure_record(ip=ip, method="password", reason="wrong email or password", email=email)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Organizations and users"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        # Declare this app's error codes in the registry at start-up.
        from accounts import errors  # noqa: F401

        # A refused password (console, authorization server) is a failed authentication: audited.
        user_login_failed.connect(_audit_failed_sign_in, dispatch_uid="accounts.audit_failed_sign_in")
