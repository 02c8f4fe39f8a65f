"""The role table: one source of record, shown verbatim in docs/roles.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.roles import PERMISSIONS, Perm, Role, markdown_table, permissions_of, role_has

DOCS = Path(__file__).resolve().parents[2] / "docs" / "roles.md"


def test_docs_show_the_table_verbatim():
    assert DOCS.exists(), "docs/roles.md is missing"
    assert markdown_table() in DOCS.read_text(encoding="utf-8")


def test_table_has_a_row_per_permission_and_a_column_per_role():
    lines = markdown_table().splitlines()
    assert len(lines) == 2 + len(PERMISSIONS)
    for line in lines:
        assert line.count("|") == 3 + len(Role)
    for role in Role:
        assert role.label in lines[0]


@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        (Role.OWNER, Perm.ORGANIZATION_MANAGE, True),
        (Role.ADMIN, Perm.ORGANIZATION_MANAGE, False),
        (Role.ADMIN, Perm.MEMBERS_MANAGE, True),
        (Role.EDITOR, Perm.MEMBERS_MANAGE, False),
        (Role.VIEWER, Perm.MEMBERS_VIEW, True),
        (Role.EDITOR, Perm.EVENTS_EDIT, True),
        (Role.EDITOR, Perm.EVENTS_PUBLISH, True),
        (Role.VIEWER, Perm.EVENTS_EDIT, False),
        (Role.VIEWER, Perm.EVENTS_VIEW, True),
        (Role.FINANCE, Perm.PAYMENTS_MANAGE, True),
        (Role.ADMIN, Perm.PAYMENTS_MANAGE, False),
        (Role.CHECKIN, Perm.CHECKIN_PERFORM, True),
        (Role.EDITOR, Perm.CHECKIN_PERFORM, False),
        (Role.FINANCE, Perm.EVENTS_EDIT, False),
        (Role.ADMIN, Perm.AUDIT_VIEW, True),
        (Role.VIEWER, Perm.AUDIT_VIEW, False),
    ],
)
def test_role_has(role, permission, allowed):
    assert role_has(role, permission) is allowed
    assert role_has(str(role.value), permission) is allowed
    assert (permission in permissions_of(role)) is allowed


def test_owner_holds_every_permission():
    assert permissions_of(Role.OWNER) == frozenset(PERMISSIONS)


def test_every_role_may_view_events_and_members():
    for role in Role:
        assert role_has(role, Perm.EVENTS_VIEW)
        assert role_has(role, Perm.MEMBERS_VIEW)


def test_unknown_permission_raises():
    with pytest.raises(KeyError):
        role_has(Role.OWNER, "events.teleport")


def test_unknown_role_holds_nothing():
    assert permissions_of("king") == frozenset()
    assert not role_has("king", Perm.EVENTS_VIEW)


def test_permission_constants_match_the_table():
    declared = {v for k, v in vars(Perm).items() if k.isupper()}
    assert declared == set(PERMISSIONS)
