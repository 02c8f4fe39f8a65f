"""The Apps page of a partner's developer organization: register, edit and delete OAuth applications, rotate a secret.

Owners and admins manage apps (the permission the API keys page asks for);
other members get a 403, and another organization's app is a 404. A client
secret is rendered once, in the answer to the POST that created or rotated it
(``Cache-Control: no-store``); only its hash is stored, so it cannot be shown again.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.models import Application, Membership
from accounts.roles import Perm
from core.errors import DomainError
from portal import sandbox, security, tenancy
from portal.application_forms import ApplicationForm, DeleteApplicationForm
from portal.organizations import sign_in_required


def _managing_apps(request: HttpRequest) -> Membership:
    return tenancy.membership_with(request, Perm.INTEGRATIONS_MANAGE, "Only owners and admins manage apps")


def _application(membership: Membership, app_id: int) -> Application:
    application = selectors.oauth_application_get(organization=membership.organization, application_id=app_id)
    if application is None:
        raise Http404("No such app")
    return application


def _page(
    request: HttpRequest, template: str, context: dict[str, object], *, secret: bool = False, status: int = 200
) -> HttpResponse:
    response = render(
        request, template, {**context, "memberships": tenancy.memberships(tenancy.signed_in_user(request))}, status=status
    )
    if secret:
        response["Cache-Control"] = "no-store"  # the secret must not stay in any cache
    # Partners' logos are images on their own servers: the portal's policy allows https images on these pages.
    response["Content-Security-Policy"] = security.PARTNER_IMAGES_CONTENT_SECURITY_POLICY
    return response


def _render_list(request: HttpRequest, membership: Membership, form: ApplicationForm, status: int = 200) -> HttpResponse:
    context = {
        "membership": membership,
        "applications": selectors.oauth_application_list(organization=membership.organization),
        "form": form,
    }
    return _page(request, "portal/apps.html", context, status=status)


def _render_detail(
    request: HttpRequest,
    membership: Membership,
    application: Application,
    form: ApplicationForm | None = None,
    *,
    secret: str | None = None,
    status: int = 200,
) -> HttpResponse:
    if not hasattr(application, "active_tokens"):  # fresh from a service: read it again with its counts
        application = _application(membership, application.pk)
    context = {
        "membership": membership,
        "application": application,
        "form": form or ApplicationForm(instance=application),
        "new_secret": secret,
    }
    return _page(request, "portal/app.html", context, secret=secret is not None, status=status)


@sign_in_required
@require_http_methods(["GET", "POST"])
def applications(request: HttpRequest) -> HttpResponse:
    membership = _managing_apps(request)
    if request.method != "POST":
        return _render_list(request, membership, ApplicationForm())
    user = tenancy.signed_in_user(request)
    form = ApplicationForm(request.POST, instance=Application(organization=membership.organization, user=user))
    if form.is_valid():
        secret = form.instance.client_secret  # generated in clear by the model; hashed when saved
        try:
            created = services.oauth_application_save(
                actor=user, application=form.instance, creator_role=membership.role, changed=form.changed_data
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            sandbox.provision_for(request, membership, created.mode)
            messages.success(request, f"The app {created.name} is registered.")
            if created.client_type != Application.CLIENT_CONFIDENTIAL:
                return redirect("portal:app", app_id=created.pk)  # a public client has no secret to show
            return _render_detail(request, membership, created, secret=secret)
    return _render_list(request, membership, form, status=400)


@sign_in_required
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, app_id: int) -> HttpResponse:
    membership = _managing_apps(request)
    app = _application(membership, app_id)
    if request.method != "POST":
        return _render_detail(request, membership, app)
    form = ApplicationForm(request.POST, instance=app)
    if form.is_valid():
        try:
            services.oauth_application_save(
                actor=tenancy.signed_in_user(request),
                application=form.instance,
                creator_role=membership.role,
                changed=form.changed_data,
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"The app {app.name} is saved.")
            return redirect("portal:app", app_id=app.pk)
    return _render_detail(request, membership, _application(membership, app_id), form, status=400)


@sign_in_required
@require_POST
def rotate_secret(request: HttpRequest, app_id: int) -> HttpResponse:
    membership = _managing_apps(request)
    app = _application(membership, app_id)
    try:
        rotated, secret = services.oauth_application_rotate_secret(actor=tenancy.signed_in_user(request), application=app)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portal:app", app_id=app.pk)
    messages.success(request, f"The client secret of {app.name} is rotated: the old secret no longer works.")
    return _render_detail(request, membership, rotated, secret=secret)


@sign_in_required
@require_http_methods(["GET", "POST"])
def delete_application(request: HttpRequest, app_id: int) -> HttpResponse:
    membership = _managing_apps(request)
    app = _application(membership, app_id)
    form = DeleteApplicationForm(request.POST if request.method == "POST" else None, application=app)
    if form.is_valid():
        services.oauth_application_delete(actor=tenancy.signed_in_user(request), application=app)
        messages.success(request, f"The app {app.name} is deleted and its tokens are revoked.")
        return redirect("portal:apps")
    status = 400 if request.method == "POST" else 200
    return _page(request, "portal/app_delete.html", {"membership": membership, "application": app, "form": form}, status=status)
