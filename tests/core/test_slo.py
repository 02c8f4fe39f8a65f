"""The objectives of spec §12.3 as Prometheus rules: the file matches core/slo.py, and the alerts fire when they should.

With ``promtool`` (Debian's prometheus package) the rules are checked and evaluated
against scripted traffic; without it, the file is parsed and its thresholds checked.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command

from core import slo
from core.metrics import LATENCY_BUCKETS


def test_the_committed_rules_file_is_the_one_core_slo_makes() -> None:
    call_command("slo_rules", "--check")


def test_the_objectives_are_the_specifications() -> None:
    targets = {objective.name: objective.target for objective in slo.OBJECTIVES}
    assert targets == {"availability": 0.999, "latency": 0.95}
    assert slo.LATENCY_THRESHOLD_SECONDS == 0.5 and 0.5 in LATENCY_BUCKETS


def test_every_alert_pairs_a_long_and_a_short_window_at_the_burn_rate_times_the_budget() -> None:
    document = yaml.safe_load(slo.RULES_FILE.read_text())
    recorded = {rule["record"] for group in document["groups"] for rule in group["rules"] if "record" in rule}
    alerts = [rule for group in document["groups"] for rule in group["rules"] if "alert" in rule]
    assert len(alerts) == len(slo.OBJECTIVES) * len(slo.BURN_ALERTS)
    for objective in slo.OBJECTIVES:
        for burn in slo.BURN_ALERTS:
            [alert] = [a for a in alerts if a["alert"] == f"SLO{objective.name.capitalize()}BudgetBurn{burn.long.upper()}"]
            threshold = burn.burn_rate * objective.budget
            long_rule, short_rule = (f"platform:slo_{objective.name}:bad_ratio_rate{w}" for w in (burn.long, burn.short))
            assert long_rule in recorded and short_rule in recorded
            assert alert["expr"] == f"{long_rule} > {threshold:g} and {short_rule} > {threshold:g}"
            assert alert["labels"] == {"severity": burn.severity, "slo": objective.name}
    assert {"page", "ticket"} == {alert["labels"]["severity"] for alert in alerts}


@dataclass(frozen=True)
class Scenario:
    """Three hours of API traffic a minute: requests, how many failed (5xx), how many took more than 500 ms."""

    name: str
    per_minute: int
    errors: int
    slow: int
    at: str  # when the alerts are looked at
    firing: frozenset[str]


SCENARIOS = [
    # 2 % errors: 20x the availability budget; both page alerts fire within half an hour, the tickets wait for their `for`.
    Scenario(
        "availability burning fast", 1000, 20, 0, "30m", frozenset({"SLOAvailabilityBudgetBurn1H", "SLOAvailabilityBudgetBurn6H"})
    ),
    # 0.05 % errors and 2 % slow: within both budgets, nothing fires.
    Scenario("healthy", 2000, 1, 40, "170m", frozenset()),
    # 20 % slow: 4x the latency budget; too slow a burn to page, a ticket (3x over a day and two hours) after its hour.
    Scenario("latency burning slowly", 1000, 0, 200, "150m", frozenset({"SLOLatencyBudgetBurn1D"})),
]


def promtool_tests(rules_file: Path) -> dict[str, Any]:
    document = yaml.safe_load(rules_file.read_text())
    alerts = {rule["alert"]: rule for group in document["groups"] for rule in group["rules"] if "alert" in rule}
    route = 'route="/api/v1/events",method="GET"'
    tests = []
    for scenario in SCENARIOS:
        ok = scenario.per_minute - scenario.errors
        tests.append(
            {
                "interval": "1m",
                "input_series": [
                    {"series": f'platform_http_requests_total{{{route},status="200"}}', "values": f"0+{ok}x180"},
                    {"series": f'platform_http_requests_total{{{route},status="500"}}', "values": f"0+{scenario.errors}x180"},
                    {
                        "series": f'platform_http_request_duration_seconds_bucket{{{route},le="0.5"}}',
                        "values": f"0+{scenario.per_minute - scenario.slow}x180",
                    },
                    {
                        "series": f"platform_http_request_duration_seconds_count{{{route}}}",
                        "values": f"0+{scenario.per_minute}x180",
                    },
                    # Not the API: a health check failing every time counts against no objective.
                    {
                        "series": 'platform_http_requests_total{route="/health/ready",method="GET",status="503"}',
                        "values": "0+500x180",
                    },
                ],
                "alert_rule_test": [
                    {
                        "eval_time": scenario.at,
                        "alertname": name,
                        "exp_alerts": (
                            [{"exp_labels": rule["labels"], "exp_annotations": rule["annotations"]}]
                            if name in scenario.firing
                            else []
                        ),
                    }
                    for name, rule in alerts.items()
                ],
            }
        )
    return {"rule_files": [str(rules_file)], "evaluation_interval": "1m", "tests": tests}


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed (Debian: apt-get install prometheus)")
def test_promtool_checks_the_rules_and_the_alerts_fire_as_each_scenario_expects(tmp_path: Path) -> None:
    check = subprocess.run(["promtool", "check", "rules", str(slo.RULES_FILE)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    tests = tmp_path / "slo-tests.yml"
    tests.write_text(yaml.safe_dump(promtool_tests(slo.RULES_FILE), sort_keys=False))
    run = subprocess.run(["promtool", "test", "rules", str(tests)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "SUCCESS" in run.stdout + run.stderr


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_promtool_fails_a_scenario_whose_expectation_is_wrong(tmp_path: Path) -> None:
    """The harness can fail: claiming the healthy traffic pages is refused by promtool."""
    document = promtool_tests(slo.RULES_FILE)
    healthy = document["tests"][1]["alert_rule_test"]
    healthy[0]["exp_alerts"] = [{"exp_labels": {"severity": "page", "slo": "availability"}}]
    tests = tmp_path / "wrong.yml"
    tests.write_text(yaml.safe_dump(document, sort_keys=False))
    run = subprocess.run(["promtool", "test", "rules", str(tests)], capture_output=True, text=True)
    assert run.returncode != 0
