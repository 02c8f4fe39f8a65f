"""docs/webhooks.md: its JavaScript verifier accepts a real delivery and refuses a tampered one."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from core.audit import SYSTEM
from integrations import services

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_the_documented_javascript_verifier_works(receiver, subscribe, tmp_path):
    subscription, secret = subscribe(["event.*"])
    delivery = services.subscription_test(actor=SYSTEM, subscription=subscription, event_type="session.cancelled")
    services.delivery_attempt(delivery_id=delivery.pk)
    [request] = receiver.requests
    [snippet] = re.findall(r"```javascript\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    script = tmp_path / "verify.js"
    script.write_text(
        snippet
        + "\nconst [secret, headers, body] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        + "\ntry { console.log(verifyWebhook(secret, headers, body).event); } catch (e) { console.log('refused: ' + e.message); }\n"
    )

    def run(body: str) -> str:
        given = json.dumps([secret, request.headers, body])
        return subprocess.run(
            ["node", str(script)], input=given, capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()

    assert run(request.body.decode()) == "session.cancelled"
    assert run(request.body.decode().replace("session.cancelled", "session.created")) == "refused: no matching signature"
