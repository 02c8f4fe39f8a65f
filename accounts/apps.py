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

        # A refused password is a failed authentication: audited.
        user_login_failed.connect(_audit_failed_sign_in, dispatch_uid="accounts.audit_failed_sign_in")

        # Sign-ins (allauth's, the only door), sign-outs (any) and two-factor changes: audited (accounts.signin).
        from allauth.account.signals import user_logged_in
        from allauth.mfa import signals as mfa
        from allauth.mfa.models import Authenticator
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import post_save

        from accounts import signin

        user_logged_in.connect(signin.audit_signed_in, dispatch_uid="accounts.audit_signed_in")
        user_logged_out.connect(signin.audit_signed_out, dispatch_uid="accounts.audit_signed_out")
        mfa.authenticator_added.connect(signin.second_factor_added, dispatch_uid="accounts.second_factor_added")
        post_save.connect(signin.keep_enrolling_session, sender=Authenticator, dispatch_uid="accounts.keep_enrolling_session")
        mfa.authenticator_removed.connect(signin.second_factor_removed, dispatch_uid="accounts.second_factor_removed")
        mfa.authenticator_reset.connect(signin.recovery_codes_regenerated, dispatch_uid="accounts.recovery_codes_regenerated")
        mfa.authenticator_used.connect(signin.second_factor_used, dispatch_uid="accounts.second_factor_used")
        mfa.authentication_failed.connect(signin.second_factor_refused, dispatch_uid="accounts.second_factor_refused")
