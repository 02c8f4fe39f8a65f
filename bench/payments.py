"""Stripe payments benchmark: checkout creation through the fake Stripe, and inbound notification processing.

Runs in this process against the database of DATABASE_URL (migrated first; it seeds one organization, a
published paid event and a Stripe connection) and the local fake Stripe (tests/fakes/stripe.py) on 127.0.0.1:

1. checkout: ``--n`` payments created and their PaymentIntents opened, one after another
   (``payment_create`` + ``payment_checkout``: two transactions and one call to the fake through the
   connector framework, call log included); checkouts/s and p50/p95 per checkout.
2. webhooks: each intent confirmed at the fake, then its signed ``payment_intent.succeeded`` received
   (``connectors.intake.receive``: signature verified with the stripe library, stored) and processed by one
   worker, this process (``connectors.intake.process``: the intent fetched from the fake, the payment
   applied: registrations confirmed, invoice issued, outbox rows written); notifications/s and p50/p95 per
   notification, receipt to processed.

Prints the load average with the figures (a shared machine moves them). Not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/emp_bench_payments .venv/bin/python bench/payments.py --n 200
"""

from __future__ import annotations

import _path  # noqa: F401  # first: the project root first on sys.path, this folder last (bench/_path.py)

# isort: split
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not bench/ itself: bench/email.py would shadow the standard library's email package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200, help="payments (and notifications) per phase; 3 for a smoke run")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from connectors import intake
    from connectors import services as connector_services
    from connectors.models import InboundEvent
    from core.audit import SYSTEM
    from payments import services
    from tests.factories import OrganizationFactory
    from tests.fakes.stripe import StripeFake, sign
    from tests.payments.factories import paid_event, paid_ticket, pending_order

    fake = StripeFake().start()
    settings.STRIPE_API_BASE = fake.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from config.celery import app

    app.conf.broker_url = "memory://"  # the intake's task messages stay here: this process is the worker
    org = OrganizationFactory(name="Bench payments")
    connection = connector_services.connection_create(
        actor=SYSTEM,
        organization=org,
        kind="payment",
        vendor="stripe",
        mode="test",
        credentials={"secret_key": "sk_test_bench123", "webhook_secret": "whsec_bench123"},
        settings={"publishable_key": "pk_test_bench123"},
    )
    ticket = paid_ticket(paid_event(org, title="Bench", capacity=args.n * 2), price="25.00")
    orders = [pending_order(SYSTEM, ticket, f"b{i}@example.com") for i in range(args.n)]

    checkout_times: list[float] = []
    payments = []
    started = time.perf_counter()
    for registrations in orders:
        t0 = time.perf_counter()
        payment = services.payment_create(actor=SYSTEM, registrations=registrations, provider="stripe")
        services.payment_checkout(actor=SYSTEM, payment=payment)
        checkout_times.append(time.perf_counter() - t0)
        payments.append(payment)
    checkout_wall = time.perf_counter() - started

    bodies = []
    for payment in payments:
        payment.refresh_from_db()
        intent = fake.confirm(payment.provider_reference)
        bodies.append(json.dumps(fake.event("payment_intent.succeeded", intent)).encode())
    hook_times: list[float] = []
    started = time.perf_counter()
    for body in bodies:
        t0 = time.perf_counter()
        answer = intake.receive(
            connection_id=connection.pk, channel="", body=body, headers={"Stripe-Signature": sign("whsec_bench123", body)}
        )
        assert answer.status == 200, answer
        event_id = InboundEvent.objects.filter(connection=connection).order_by("-received_at").values_list("pk", flat=True)[0]
        assert intake.process(event_id) == "processed"
        hook_times.append(time.perf_counter() - t0)
    hook_wall = time.perf_counter() - started
    fake.stop()

    done = sum(1 for p in payments if type(p).objects.get(pk=p.pk).status == "succeeded")
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    print(
        f"checkout creation: {args.n / checkout_wall:.1f}/s, p50 {statistics.median(checkout_times) * 1000:.1f} ms, "
        f"p95 {p95(checkout_times) * 1000:.1f} ms ({len(fake.intents)} intents at the fake)"
    )
    print(
        f"webhooks, one worker: {args.n / hook_wall:.1f}/s, p50 {statistics.median(hook_times) * 1000:.1f} ms, "
        f"p95 {p95(hook_times) * 1000:.1f} ms ({done}/{args.n} payments succeeded)"
    )


if __name__ == "__main__":
    main()
