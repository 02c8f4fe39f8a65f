"""The SDKs partners use, generated from the OpenAPI document (sdks/README.md, ADR 0030).

``generate(root)`` writes, under ``root``:

- ``openapi.json``: the document the SDKs come from, with this installation's
  address replaced by ``https://events.example`` so the output is the same on
  every machine (an SDK takes its base URL when a client is made);
- ``python/emp_sdk/generated/``: openapi-python-client's package (models and
  one module per operation), pinned in requirements-dev.txt;
- ``typescript/src/schema.d.ts``: openapi-typescript's types, for openapi-fetch
  (both pinned in package.json).

Everything else under ``sdks/`` is written by hand: the client factories,
cursor paging and webhook verification, which the generators do not give.
``make sdks`` (``manage.py generate_sdks``) regenerates into the repository;
``tests/api/test_sdks.py`` regenerates into a temporary folder and fails on any
difference, so the committed SDKs cannot drift from the schema.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings

from api.schema import document

ROOT = Path(settings.BASE_DIR) / "sdks"
PLACEHOLDER_SITE = "https://events.example"
# What generate() writes, relative to its root: the drift test compares exactly these.
GENERATED = ("openapi.json", "python/emp_sdk/generated", "typescript/src/schema.d.ts")
NODE_BIN = Path(settings.BASE_DIR) / "node_modules" / ".bin"


def sdk_document() -> str:
    """The OpenAPI document as the SDKs are generated from it: JSON, with no address of this installation."""
    text = json.dumps(document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return text.replace(settings.OAUTH_ISSUER, f"{PLACEHOLDER_SITE}/o").replace(settings.SITE_URL, PLACEHOLDER_SITE)


def generate(root: Path = ROOT, *, timeout: float = 300) -> list[Path]:
    """Write the generated parts of both SDKs under ``root``, replacing what was there; the paths written."""
    root.mkdir(parents=True, exist_ok=True)
    schema_file = root / "openapi.json"
    schema_file.write_text(sdk_document(), encoding="utf-8")

    package = root / "python" / "emp_sdk" / "generated"
    with tempfile.TemporaryDirectory() as work:
        config = Path(work) / "config.json"
        # No formatter hook: the output must not depend on a formatter's version or on the folder's ruff settings.
        config.write_text(json.dumps({"post_hooks": [], "package_name_override": "generated"}))
        output = Path(work) / "generated"
        subprocess.run(
            [
                *(sys.executable, "-m", "openapi_python_client", "generate", "--path", str(schema_file)),
                *("--meta", "none", "--output-path", str(output), "--config", str(config)),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        if package.exists():
            shutil.rmtree(package)
        package.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(output, package)

    types = root / "typescript" / "src" / "schema.d.ts"
    types.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(NODE_BIN / "openapi-typescript"), str(schema_file), "--output", str(types)],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    return [root / name for name in GENERATED]
