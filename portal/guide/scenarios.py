"""The guide's common integration scenarios, and the code it shows from the SDKs and the sample applications.

The code on those pages is read from the files that tests run (samples/ by
tests/samples/test_samples.py, sdks/README.md's blocks by
tests/portal/test_guide_sdks.py), so an example shown is an example that works.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from portal.guide import docs

BASE = Path(settings.BASE_DIR)


def python_function(path: str, name: str) -> str:
    """The source of the top-level function ``name`` of the file ``path`` (relative to the repository)."""
    source = (BASE / path).read_text()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            segment = ast.get_source_segment(source, node)
            if segment:
                return segment
    raise LookupError(f"{path} has no function {name}")


def whole_file(path: str) -> str:
    return (BASE / path).read_text().rstrip("\n")


def sdk_examples() -> dict[str, dict[str, str]]:
    """The SDKs' README blocks the guide shows: install and first calls, by language."""
    readme = BASE / "sdks" / "README.md"
    return {
        "python": docs.code_blocks(readme, "Python"),
        "typescript": docs.code_blocks(readme, "TypeScript (Node 20+)"),
    }


@dataclass(frozen=True)
class Scenario:
    slug: str
    name: str
    purpose: str
    systems: list[str]
    steps: list[str]
    validation: list[str]
    code_language: str = ""
    code_path: str = ""  # the file shown (a sample a test runs)
    code_function: str = ""  # one function of it (Python), or "" for the whole file
    run_by: str = ""  # the test that runs the code
    extra: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        if not self.code_path:
            return ""
        return python_function(self.code_path, self.code_function) if self.code_function else whole_file(self.code_path)


SCENARIOS: list[Scenario] = [
    Scenario(
        slug="mirror-registrations",
        name="Mirror registrations into your system",
        purpose="Keep a copy of an organization's registrations in your CRM, data warehouse or ticketing system, "
        "current within seconds and repaired on a schedule.",
        systems=[
            "The platform's REST API (GET /api/v1/registrations, scope registrations:read)",
            "A webhook subscription to registration.*",
            "Your database (the sample uses SQLite)",
        ],
        steps=[
            "Create an API key with registrations:read, and a webhook subscription to registration.* pointing at your "
            "receiver; keep the signing secret it shows once.",
            "Fill the mirror: page through the registrations with sort=updatedAt and the cursor style (cursor= on the "
            "first request), storing each row by its id.",
            "Keep the cursor of the last page read. On the next run start from it: you read that page again and then "
            "only what was created or changed since (a change moves a registration to the end of the updatedAt order).",
            "Receive the webhooks: verify each signature, skip a webhook-id you have already applied, and never "
            "overwrite a newer copy (compare updatedAt): deliveries may repeat or arrive out of order.",
            "Run the pull on a schedule (every few minutes): it repairs whatever a lost delivery left behind.",
        ],
        validation=[
            "After the first run the mirror has as many rows as GET /api/v1/registrations reports (pagination.totalCount "
            "in the page style).",
            "Cancel a registration in the sandbox: the mirror shows it cancelled within seconds (the webhook), and again "
            "after the next pull.",
            "A second pull with nothing changed reads one page only.",
        ],
        code_language="python",
        code_path="samples/python-sync/sync.py",
        code_function="pull",
        run_by="tests/samples/test_samples.py",
    ),
    Scenario(
        slug="act-on-webhooks",
        name="Act on registrations as they happen",
        purpose="Send a welcome pack, open a CRM task or grant access the moment someone registers.",
        systems=["A webhook subscription (registration.created)", "Your HTTPS receiver (the sample is a Node server)"],
        steps=[
            "Subscribe a receiver URL to registration.created in the portal (Webhooks) or with POST /api/v1/webhooks.",
            "Verify the signature on the raw body before parsing it (verifyWebhook of the TypeScript SDK, verify of the "
            "Python SDK); answer 400 when it fails.",
            "Answer 2xx within 10 seconds and do the work afterwards; act once per webhook-id.",
            "Send a test event from the portal's Sandbox page, then register in the sandbox.",
        ],
        validation=[
            "The portal's deliveries log shows the delivery succeeded; a replay from there arrives with the same "
            "webhook-id and is not acted on twice.",
            "A request signed with another secret, or with a changed body, is answered 400.",
        ],
        code_language="javascript",
        code_path="samples/node-webhook-receiver/server.mjs",
        run_by="tests/samples/test_samples.py",
    ),
    Scenario(
        slug="register-from-your-site",
        name="Register attendees from your own site",
        purpose="Sell or give out tickets on your website or app while the platform keeps the seats, the tickets and "
        "the confirmation emails.",
        systems=[
            "The REST API (POST /api/v1/registrations, scope registrations:write)",
            "Your checkout; the platform's payment connection for paid tickets",
        ],
        steps=[
            "List the event's ticket types (GET /api/v1/events/{eventId}/ticket-types) and show what is on sale.",
            "Create the registration with an Idempotency-Key of your order's id: a retry after a timeout answers the "
            "first result (Idempotent-Replayed: true) and never registers twice.",
            "For a paid ticket, create the payment for the order (POST /api/v1/payments) and send the buyer to the "
            "checkout it returns; the registration is confirmed when the payment succeeds (registration.confirmed).",
            "Handle SOLD_OUT (409): not enough seats are left and the event has no waitlist; `details` says how many are.",
        ],
        validation=[
            "The same request sent twice with one Idempotency-Key creates one registration (the SDK tests check it).",
            "The attendee receives the confirmation email with the calendar file.",
        ],
        extra=["The SDK examples (Code libraries and samples) make the same call in Python and TypeScript."],
    ),
    Scenario(
        slug="check-in",
        name="Check attendees in at the door",
        purpose="Scan tickets with your own scanner app and see the numbers live in the organizer console.",
        systems=["The REST API (POST /api/v1/checkins, scope checkins:write)", "The ticket's signed QR code"],
        steps=[
            "Fetch the ticket keys (GET /api/v1/ticket-keys, a JSON Web Key Set) to verify QR codes offline.",
            "On each scan, post the ticket's code to POST /api/v1/checkins; a second scan answers ALREADY_CHECKED_IN.",
            "Respect the event's check-in window: CHECKIN_NOT_OPEN and CHECKIN_WINDOW_CLOSED tell the door staff why.",
            "Subscribe to checkin.completed to update other systems.",
        ],
        validation=["The console's check-in count rises with each scan; a repeated scan does not count twice."],
    ),
]


# Where each section of the four guide templates (shared seeds 000 to 003) is covered: (template heading, section, anchor).
# tests/portal/test_guide_coverage.py checks that every target exists, and, where the templates are at hand, that
# every heading of theirs is listed.
TEMPLATE_COVERAGE: dict[str, list[tuple[str, str, str]]] = {
    "000": [
        ("1. Overview", "overview", ""),
        ("2. Integration prerequisites", "prerequisites", ""),
        ("3. Supported integration types", "integration-types", ""),
        ("4. Integration setup workflow", "setup", ""),
        ("5. Authentication setup (customer view)", "authentication", ""),
        ("6. Data exchange overview", "data-exchange", ""),
        ("7. Common integration scenarios", "scenarios", ""),
        ("8. Error handling and troubleshooting", "errors", ""),
        ("9. Testing and validation expectations", "sandbox", ""),
        ("10. Change management considerations", "versioning", "change-management"),
        ("11. Support and escalation", "support", ""),
        ("12. Assumptions and open items", "assumptions", ""),
        ("13. Summary", "summary", ""),
    ],
    "001": [
        ("About this guide", "", "about"),
        ("Table of Contents", "", "contents"),
        ("Introduction", "overview", ""),
        ("Target audience", "", "audience"),
        ("Architecture and data flow", "overview", ""),
        ("Prerequisites", "prerequisites", ""),
        ("Integration workflow", "setup", ""),
        ("Configuration steps", "configuration", ""),
        ("Validation", "sandbox", ""),
        ("Additional resources", "support", ""),
    ],
    "002": [
        ("Table of Contents", "", "contents"),
        ("Overview", "overview", ""),
        ("Prerequisites", "prerequisites", ""),
        ("Integration Types", "integration-types", ""),
        ("Authentication", "authentication", ""),
        ("Configuration", "configuration", ""),
        ("Data Exchange", "data-exchange", ""),
        ("Error Handling", "errors", ""),
        ("Monitoring", "monitoring", ""),
        ("Examples", "scenarios", ""),
        ("Troubleshooting", "troubleshooting", ""),
        ("Support", "support", ""),
    ],
    "003": [
        ("Overview", "overview", ""),
        ("Architecture", "overview", ""),
        ("Setup", "sdks", "install"),
        ("Core Operations", "sdks", "first-calls"),
        ("Webhooks", "webhooks", ""),
        ("Error Handling", "retries", ""),
        ("Testing", "sandbox", ""),
        ("Troubleshooting", "troubleshooting", ""),
        ("Migration Guide", "migrations", ""),
        ("See Also", "support", ""),
    ],
}
