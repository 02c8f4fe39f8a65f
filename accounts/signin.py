"""One sign-in for the whole platform: django-allauth's, with its second factor and its per-account limits.

Every other way in (the console's ``/admin/login/``, the authorization server's
``/o/login/``) only sends the browser to allauth's sign-in page and back
(``next``). A session is judged on every request, whoever created it:

- A user with an authenticator (TOTP) whose session holds no record of a second
  factor (allauth's authentication records) is anonymous: the portal, the
  console, the authorization endpoint and the API's session authentication
  (``api.authentication``) see nobody. For such a user, a session made by a
  password alone, or by ``django.contrib.auth.login`` anywhere, opens nothing.
- A member of an organization that requires two-factor authentication and has
  no authenticator is sent to set one up (the API answers 403
  ``TWO_FACTOR_REQUIRED``).

The two facts about the user are loaded with the user itself (``SessionUserBackend``),
so judging a session costs no query of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.core import context as allauth_context
from allauth.mfa.models import Authenticator
from django.contrib.auth import REDIRECT_FIELD_NAME, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from accounts import services
from accounts.models import Membership, User
from accounts.roles import Role
from core.net import client_ip

# What counts as a second factor at sign-in (allauth's AuthenticateStage asks for these; recovery codes
# exist only beside one of them).
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def users_with_sign_in_facts() -> QuerySet[User]:
    """Users with ``has_second_factor`` and ``needs_second_factor`` (a member of an organization requiring it)."""
    return User._default_manager.annotate(
        has_second_factor=Exists(Authenticator.objects.filter(user_id=OuterRef("pk"), type__in=SECOND_FACTORS)),
        needs_second_factor=Exists(Membership.objects.filter(user_id=OuterRef("pk"), organization__require_two_factor=True)),
    )


class _LoadsSignInFacts(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = users_with_sign_in_facts().get(pk=user_id)
        except (User.DoesNotExist, ValueError, ValidationError):
            return None
        return user if self.user_can_authenticate(user) else None


class SessionUserBackend(_LoadsSignInFacts):
    """Django's ModelBackend, loading a session's user with the facts ``second_factor_missing`` needs (same query)."""


class AllauthSessionBackend(_LoadsSignInFacts, AuthenticationBackend):
    """allauth's backend (which allauth names in the sessions it signs in after the second factor), loading the same."""


def _fact(user: User, name: str) -> bool:
    value = getattr(user, name, None)
    if value is None:  # loaded some other way (a session of another backend): ask once
        value = getattr(users_with_sign_in_facts().only("pk").get(pk=user.pk), name)
        setattr(user, name, value)
    return bool(value)


def has_second_factor(user: User) -> bool:
    return _fact(user, "has_second_factor")


def must_set_up_second_factor(user: User) -> bool:
    """A member of an organization that requires two-factor authentication, without an authenticator."""
    return _fact(user, "needs_second_factor") and not has_second_factor(user)


def second_factor_passed(request: HttpRequest, user: User) -> bool:
    """Whether this session's sign-in included a second factor (allauth's records, kept in the session)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def second_factor_missing(request: HttpRequest, user: Any) -> bool:
    """A signed-in user who has an authenticator but whose session never passed it."""
    return (
        isinstance(user, User) and user.is_authenticated and has_second_factor(user) and not second_factor_passed(request, user)
    )


def judged_user(request: HttpRequest, user: Any) -> Any:
    """``user``, or an anonymous user when the session skipped the second factor."""
    return AnonymousUser() if second_factor_missing(request, user) else user


class SsoRequired(ValidationError):
    """A correct password of a member of an organization that enforces single sign-on (not a break-glass owner)."""


def password_sign_in_refused(user: User) -> bool:
    """Whether ``user`` may not sign in with a password: a member of an organization that enforces single sign-on,
    unless they are an owner marked as a break-glass account there (ADR 0021)."""
    enforcing = Membership.objects.filter(user=user, organization__enforce_sso=True)
    return enforcing.exists() and enforcing.exclude(role=Role.OWNER, sso_break_glass=True).exists()


def sign_in_url(next_url: str = "") -> str:
    url = reverse("account_login")
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url}, safe='/')}" if next_url else url


# Pages a member who must set up two-factor authentication may still open: allauth's own (set-up, reauthentication,
# sign-out, password, email), static files, and what carries no session (the API, judged by its own classes).
_OPEN_PREFIXES = (
    "/portal/accounts/",
    "/admin/logout/",
    "/o/logout/",
    "/static/",
    "/api/",
    "/o/token/",
    "/o/revoke_token/",
    "/o/introspect/",
    "/o/userinfo/",
)


class SignInMiddleware:
    """Judges the session's user (after AuthenticationMiddleware); sends members who must set up a second factor to it.

    The judged user is lazy, like Django's: it is loaded when a view looks at ``request.user``, or, for a request
    with a signed-in session outside ``_OPEN_PREFIXES``, by the set-up check (in the same query either way).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session_user = request.user
        request.user = SimpleLazyObject(lambda: judged_user(request, session_user))  # type: ignore[assignment]

        async def auser() -> Any:
            return request.user

        request.auser = auser  # type: ignore[attr-defined]
        if not request.path.startswith(_OPEN_PREFIXES) and request.session.get(SESSION_KEY):
            user = request.user
            if isinstance(user, User) and user.is_authenticated and must_set_up_second_factor(user):
                setup = reverse("mfa_activate_totp")
                return HttpResponseRedirect(f"{setup}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()}, safe='/')}")
        return self.get_response(request)


class SignInRedirectView(View):
    """The console's and the authorization server's old sign-in pages: on to the one sign-in, and back to ``next``.

    A POST signs nobody in; it is answered like a GET.
    """

    default_next = "/"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
        safe = url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure())
        return HttpResponseRedirect(sign_in_url(wanted if wanted and safe else self.default_next))

    post = get


# -- audit (connected in accounts.apps) ------------------------------------------------------
def _ip(request: HttpRequest | None) -> str:
    return client_ip(request.META) if request is not None else ""


def _methods(request: HttpRequest, user: User) -> list[str]:
    """How the session's sign-in was made, e.g. ["password", "totp"] (never a secret)."""
    return [str(r.get("type") or r.get("method")) for r in get_authentication_records(request, user)]


def audit_signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    services.auth_event_record(user=user, action="auth.signed_in", ip=_ip(request), methods=_methods(request, user))


def audit_signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if isinstance(user, User):
        services.auth_event_record(user=user, action="auth.signed_out", ip=_ip(request))


def second_factor_added(sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any) -> None:
    services.auth_event_record(user=user, action="auth.two_factor_added", ip=_ip(request), type=authenticator.type)


def keep_enrolling_session(sender: Any, instance: Authenticator, created: bool, **kwargs: Any) -> None:
    """A second factor set up in a signed-in session: that session has just passed it (a code was entered), so it
    stays signed in; every other session of the user opens nothing until it passes it.

    On ``post_save`` rather than allauth's ``authenticator_added`` (sent after the commit), so the mark is in the
    session before the response saves it, whatever transaction the view runs in.
    """
    request = allauth_context.request
    if not created or instance.type not in SECOND_FACTORS or request is None:
        return
    if str(request.session.get(SESSION_KEY)) == str(instance.user_id):
        record_authentication(request, instance.user, "mfa", id=instance.pk, type=instance.type, enrolled=True)


def second_factor_removed(sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any) -> None:
    services.auth_event_record(user=user, action="auth.two_factor_removed", ip=_ip(request), type=authenticator.type)


def recovery_codes_regenerated(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    services.auth_event_record(user=user, action="auth.recovery_codes_regenerated", ip=_ip(request))


def second_factor_used(sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any) -> None:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        services.auth_event_record(
            user=user, action="auth.recovery_code_used", ip=_ip(request), reauthentication=bool(kwargs.get("reauthenticated"))
        )


def second_factor_refused(sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any) -> None:
    services.auth_failure_record(
        ip=_ip(request), method=str(authenticator.type), reason="wrong two-factor code", email=user.email[:254]
    )
