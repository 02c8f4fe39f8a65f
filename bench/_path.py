"""Imported first by every script in this folder: the project root first on ``sys.path``, this folder last.

Python puts a script's own folder first on ``sys.path``, and some scripts here are named like the standard library
(``email.py``) or the platform's apps (``payments.py``, ``console.py``): first, they would shadow those for every
import (``urllib.request`` imports ``email``, Django imports the apps). Last, the scripts still import their sibling
helpers (``import api_read``) and nothing else is shadowed.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _ours(entry: str) -> bool:
    return Path(entry or ".").resolve() in (HERE, ROOT)


sys.path[:] = [str(ROOT), *(p for p in sys.path if not _ours(p)), str(HERE)]
