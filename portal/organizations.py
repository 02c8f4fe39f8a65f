"""Pages of a partner's developer organization: dashboard, organization switcher, team and invitations.

Every page needs a signed-in user and works in the organization chosen in the
session (portal.tenancy); rows of another organization are a 404. Writes go
through accounts.services, which audit them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.models import Membership, OrganizationKind
from accounts.roles import Perm, role_has
from core.errors import DomainError
from portal import tenancy
from portal.forms import InvitationForm

sign_in_required = login_required(login_url=reverse_lazy("account_login"))


def _managing(request: HttpRequest) -> Membership:
    return tenancy.membership_with(request, Perm.MEMBERS_MANAGE, "Only owners and admins manage the team")


@sign_in_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = tenancy.current_membership(request)
    context: dict[str, object] = {"membership": membership, "memberships": tenancy.memberships(tenancy.signed_in_user(request))}
    if membership is not None:
        context["member_count"] = selectors.member_list(organization=membership.organization).count()
        context["pending_count"] = selectors.invitation_list(organization=membership.organization, pending_only=True).count()
    return render(request, "portal/dashboard.html", context)


@sign_in_required
@require_POST
def switch_organization(request: HttpRequest) -> HttpResponse:
    membership = tenancy.switch(request, request.POST.get("organization", ""))
    messages.success(request, f"You are now working in {membership.organization.name}.")
    return redirect("portal:dashboard")


@sign_in_required
def team(request: HttpRequest) -> HttpResponse:
    membership = tenancy.membership_or_404(request)
    can_manage = role_has(membership.role, Perm.MEMBERS_MANAGE)
    return _render_team(request, membership, InvitationForm(actor_role=membership.role) if can_manage else None)


def _render_team(request: HttpRequest, membership: Membership, form: InvitationForm | None, status: int = 200) -> HttpResponse:
    organization = membership.organization
    context = {
        "membership": membership,
        "memberships": tenancy.memberships(tenancy.signed_in_user(request)),
        "members": selectors.member_list(organization=organization).order_by("created_at"),
        "invitations": selectors.invitation_list(organization=organization, pending_only=True),
        "can_manage": form is not None,
        "is_owner": role_has(membership.role, Perm.ORGANIZATION_MANAGE),
        "form": form,
    }
    return render(request, "portal/team.html", context, status=status)


@sign_in_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    membership = _managing(request)
    form = InvitationForm(request.POST, actor_role=membership.role)
    if form.is_valid():
        try:
            services.invitation_create(
                actor=tenancy.signed_in_user(request),
                actor_role=membership.role,
                organization=membership.organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=tenancy.signed_in_user(request),
            )
        except DomainError as exc:
            form.add_error("email" if exc.target == "email" else None, exc.message)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("portal:team")
    return _render_team(request, membership, form, status=400)


def _team_action(request: HttpRequest, action: Callable[[], object], done: str) -> HttpResponse:
    """Run one service call for the team page; a refused change (a rule of the domain) is shown, not raised."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("portal:team")


@sign_in_required
@require_POST
def revoke_invitation(request: HttpRequest, invitation_id: uuid.UUID) -> HttpResponse:
    membership = _managing(request)
    invitation = selectors.invitation_get(organization=membership.organization, invitation_id=invitation_id)
    if invitation is None:
        raise Http404("No such invitation")
    return _team_action(
        request,
        lambda: services.invitation_revoke(actor=tenancy.signed_in_user(request), invitation=invitation),
        f"The invitation to {invitation.email} is revoked.",
    )


@sign_in_required
@require_POST
def remove_member(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    membership = _managing(request)
    target = selectors.member_get(organization=membership.organization, user_id=user_id)
    if target is None:
        raise Http404("No such member")
    return _team_action(
        request,
        lambda: services.membership_remove(actor=tenancy.signed_in_user(request), actor_role=membership.role, membership=target),
        f"{target.user.email} is no longer a member of {membership.organization.name}.",
    )


@sign_in_required
@require_POST
def require_two_factor(request: HttpRequest) -> HttpResponse:
    """An owner requires two-factor authentication of every member (``required=on``), or stops requiring it."""
    membership = tenancy.membership_with(request, Perm.ORGANIZATION_MANAGE, "Only owners change the organization's rules")
    required = request.POST.get("required") == "on"
    return _team_action(
        request,
        lambda: services.organization_require_two_factor(
            actor=tenancy.signed_in_user(request), organization=membership.organization, required=required
        ),
        "Every member now signs in with two-factor authentication; members without it are asked to set it up."
        if required
        else "Two-factor authentication is now up to each member.",
    )


@sign_in_required
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation email: after sign-in (or sign-up and verification), join the organization."""
    user = tenancy.signed_in_user(request)
    invitation = selectors.invitation_pending_for(token=token, email=user.email)
    if request.method == "POST" and invitation is not None:
        try:
            joined = services.invitation_accept(actor=user, user=user, token=token)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if joined.organization.kind == OrganizationKind.DEVELOPER:
                tenancy.switch(request, str(joined.organization_id))
                messages.success(request, f"Welcome to {joined.organization.name}.")
                return redirect("portal:dashboard")
            # An organizer organization's invitation: its members work in the console.
            messages.success(request, f"Welcome to {joined.organization.name}. Its events are managed in the console.")
            return redirect("console:index")
    return render(
        request,
        "portal/invitation.html",
        {"invitation": invitation, "memberships": tenancy.memberships(user)},
        status=200 if invitation is not None else 404,
    )
