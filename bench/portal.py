"""Developer portal pages under load: p95 of every page with 1,000 webhook deliveries in the log.

Seeds a developer organization on PostgreSQL (a signed-in owner, teammates, API
keys, OAuth apps, webhook subscriptions, 1,000 deliveries with their attempts, a
week of metered requests of every key and app, and its seeded sandbox), starts
gunicorn with 2 workers and requests each portal page with the owner's session
cookie for a few seconds at a small concurrency, then prints p50/p95/p99 per
page. Target: p95 under 150 ms for every page. Prints figures; not a test.

    .venv/bin/python bench/portal.py                  # fresh DB emp_bench_portal, then drop it
    .venv/bin/python bench/portal.py --seconds 5 --concurrency 2
"""

from __future__ import annotations

import _path  # noqa: F401  # first: the project root first on sys.path, this folder last (bench/_path.py)

# isort: split
import argparse
import datetime as dt
import os
import random

import api_read

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/emp_bench_portal"
OWNER_EMAIL = "bench-partner@example.com"
DELIVERIES = 1000
TARGET_P95_MS = 150.0


def seed(n_deliveries: int) -> dict[str, str]:
    """A developer organization as a partner leaves it after a few weeks: what the pages list. Returns ids for URLs."""
    from allauth.account.models import EmailAddress
    from django.db import transaction
    from django.utils import timezone

    from accounts import services as accounts_services
    from accounts.models import Application, Membership, Organization, OrganizationKind, User
    from accounts.roles import Role
    from api import metering
    from core.audit import SYSTEM
    from integrations import catalog
    from integrations import services as webhook_services
    from integrations.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
    from integrations.sandbox import sandbox_provision

    rng = random.Random(7)
    now = timezone.now()
    with transaction.atomic():
        org = Organization.objects.create(name="Bench Partner", slug="bench-partner", kind=OrganizationKind.DEVELOPER)
        owner = User.objects.create_user(OWNER_EMAIL, "bench-password-123", name="Bench Partner")
        EmailAddress.objects.create(user=owner, email=OWNER_EMAIL, verified=True, primary=True)
        Membership.objects.create(organization=org, user=owner, role=Role.OWNER)
        for n in range(5):
            teammate = User.objects.create_user(f"teammate{n}@example.com", None, name=f"Teammate {n}")
            Membership.objects.create(organization=org, user=teammate, role=Role.EDITOR)
        keys = []
        for n in range(8):
            keys.append(
                accounts_services.api_key_create(
                    actor=owner,
                    organization=org,
                    data={"name": f"Key {n}", "mode": "test" if n % 2 else "live", "scopes": ["events:read"]},
                    creator_role=Role.OWNER,
                )[0]
            )
        applications = []
        for n in range(6):
            application = Application(
                name=f"App {n}",
                organization=org,
                user=owner,
                mode="test" if n % 2 else "live",
                client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS if n % 2 else Application.GRANT_AUTHORIZATION_CODE,
                redirect_uris="" if n % 2 else "https://app.partner.example/callback",
                allowed_scopes=["events:read"] if n % 2 else [],
                logo_url="https://app.partner.example/logo.png",
            )
            application.full_clean()
            applications.append(
                accounts_services.oauth_application_save(
                    actor=owner, application=application, creator_role=Role.OWNER, changed=[]
                )
            )
        subscriptions = [
            webhook_services.subscription_create(
                actor=SYSTEM,
                organization=org,
                data={"url": f"https://hooks.partner.example/{n}", "event_types": ["registration.*", "payment.*"]},
            )[0]
            for n in range(3)
        ]
        types = sorted(catalog.CATALOG)
        statuses = [DeliveryStatus.SUCCEEDED] * 7 + [DeliveryStatus.FAILED, DeliveryStatus.PENDING]
        deliveries, attempts, created = [], [], []
        for n in range(n_deliveries):
            at = now - dt.timedelta(minutes=10 * n)
            event_type = types[n % len(types)]
            status = statuses[n % len(statuses)]
            delivery = WebhookDelivery(
                organization=org,
                subscription=subscriptions[n % len(subscriptions)],
                event_type=event_type,
                body=webhook_services.render_body(f"msg_{n:032x}", event_type, at, catalog.example_of(event_type)),
                status=status,
                attempt_count=1 if status == DeliveryStatus.SUCCEEDED else 3,
                last_attempt_at=at,
                delivered_at=at if status == DeliveryStatus.SUCCEEDED else None,
                next_attempt_at=at + dt.timedelta(hours=1) if status == DeliveryStatus.PENDING else None,
                last_status_code=200 if status == DeliveryStatus.SUCCEEDED else 503,
            )
            deliveries.append(delivery)
            created.append(at)
            for number in range(1, delivery.attempt_count + 1):
                ok = status == DeliveryStatus.SUCCEEDED
                attempts.append(
                    WebhookAttempt(
                        delivery=delivery,
                        number=number,
                        attempted_at=at + dt.timedelta(seconds=5 * number),
                        url=delivery.subscription.url,
                        request_headers={"content-type": "application/json", "webhook-id": delivery.message_id},
                        request_body=delivery.body,
                        response_status=200 if ok else 503,
                        response_headers={"content-type": "application/json"},
                        response_body='{"ok": true}' if ok else "Service Unavailable",
                        duration_ms=rng.randint(40, 900),
                    )
                )
        WebhookDelivery.objects.bulk_create(deliveries, batch_size=500)
        for delivery, at in zip(deliveries, created, strict=True):  # bulk_create stamps now: spread them over a week
            delivery.created_at = at
        WebhookDelivery.objects.bulk_update(deliveries, ["created_at"], batch_size=500)
        WebhookAttempt.objects.bulk_create(attempts, batch_size=1000)
    sandbox_provision(actor=owner, organization=org)  # as at sign-up: the seeded sandbox of the Sandbox page
    # A week of metered requests of every key and app: 5 routes, 2 status classes, every hour (the Usage pages' rows).
    hour_now = int(now.timestamp() // 3600)
    routes = ["/api/v1/events", "/api/v1/events/{id}", "/api/v1/registrations", "/api/v1/ping", "/api/v1/checkins"]
    credentials = [("api_key", key.pk) for key in keys] + [("oauth_app", app.pk) for app in applications]
    metering.write(
        {
            (kind, credential_id, org.pk, route, status_class, hour_now - hours): [20.0, 20.0 * (status_class >= 4), 900.0, 140.0]
            for kind, credential_id in credentials
            for route in routes
            for status_class in (2, 4)
            for hours in range(7 * 24)
        }
    )
    return {
        "key": str(keys[0].pk),
        "subscription": str(subscriptions[0].pk),
        "delivery": str(deliveries[n_deliveries // 2].pk),
        "application": str(applications[1].pk),
    }


def pages(ids: dict[str, str]) -> dict[str, str]:
    """Every page of the portal a signed-in partner opens, with the seeded objects in its URL."""
    from django.urls import reverse

    from portal.guide.sections import SECTIONS

    found = {
        "home": reverse("portal:home"),
        "dashboard": reverse("portal:dashboard"),
        "account: email": reverse("account_email"),
        "account: two-factor": reverse("mfa_index"),
        "team": reverse("portal:team"),
        "api keys": reverse("portal:keys"),
        "apps": reverse("portal:apps"),
        "app": reverse("portal:app", args=[ids["application"]]),
        "app: delete": reverse("portal:delete-app", args=[ids["application"]]),
        "webhooks": reverse("portal:webhooks"),
        "webhook subscription": reverse("portal:webhook", args=[ids["subscription"]]),
        "webhook: new": reverse("portal:webhook-new"),
        "webhook: edit": reverse("portal:webhook-edit", args=[ids["subscription"]]),
        "webhook: delete": reverse("portal:webhook-delete", args=[ids["subscription"]]),
        "deliveries": reverse("portal:webhook-deliveries"),
        "deliveries: failed": reverse("portal:webhook-deliveries") + "?status=failed",
        "deliveries: one type": reverse("portal:webhook-deliveries") + "?event_type=payment.completed",
        "delivery": reverse("portal:webhook-delivery", args=[ids["delivery"]]),
        "usage": reverse("portal:usage"),
        "usage: key": reverse("portal:key-usage", args=[ids["key"]]),
        "usage: app": reverse("portal:app-usage", args=[ids["application"]]),
        "sandbox": reverse("portal:sandbox"),
        "guide": reverse("portal:guide"),
        "api reference": reverse("portal:reference"),
        "openapi.json": reverse("portal:openapi-json"),
        "openapi.yaml": reverse("portal:openapi-yaml"),
        "postman.json": reverse("portal:postman"),
    }
    for section in SECTIONS:
        found[f"guide: {section.slug}"] = reverse("portal:guide-section", args=[section.slug])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_PORTAL_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--deliveries", type=int, default=DELIVERIES)
    parser.add_argument("--only", default="", help="measure only pages whose name contains this text")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = parser.parse_args()

    api_read.recreate_database(args.database_url)
    api_read.manage(args.database_url, "migrate", "--noinput")
    api_read.manage(args.database_url, "createcachetable")
    api_read.setup_django(args.database_url)
    ids = seed(args.deliveries)
    cookie = f"sessionid={api_read.session_for(OWNER_EMAIL)}"
    measured = {name: path for name, path in pages(ids).items() if args.only in name}
    print(
        f"database {args.database_url} (recreated), {args.deliveries} webhook deliveries, gunicorn {args.workers} workers, "
        f"{args.concurrency} connections for {args.seconds:g} s a page"
    )
    print(f"cpu reference (a fixed Python loop; lower is a faster machine): {api_read.cpu_reference_ms():.0f} ms")

    api_read.measure_pages(
        database_url=args.database_url,
        keep=args.keep,
        workers=args.workers,
        concurrency=args.concurrency,
        seconds=args.seconds,
        cookie=cookie,
        pages=measured,
        ready_path=measured.get("dashboard", "/portal/dashboard/"),
        target_p95_ms=TARGET_P95_MS,
        as_json=args.json,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
