"""Simulation evaluation is deterministic and sensible; the shipped demo counts are what the generator makes."""

from __future__ import annotations

import json

import pytest

from healthplan.cli import main
from healthplan.surveillance.demo import counts_file, generate_counts
from healthplan.surveillance.evaluation import Candidate, evaluate
from healthplan.surveillance.synthetic import Scenario


def test_evaluation_is_deterministic_and_detects_bigger_outbreaks_better() -> None:
    candidates = [Candidate.parse("ears_c1"), Candidate.parse("farrington:b=3;alpha=0.01")]
    scenario = Scenario(theta=1.5, phi=1.5, freq=52)
    first = evaluate(candidates, scenario, [1, 10], series=20, seed=3)
    assert first == evaluate(candidates, scenario, [1, 10], series=20, seed=3)
    by = {(s.label, s.k): s for s in first}
    for label in ("ears_c1", "farrington:b=3;alpha=0.01"):
        assert by[(label, 10)].detection > by[(label, 1)].detection
        assert 0 <= by[(label, 1)].false_positive_rate < 0.2


def test_evaluate_command_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["detect", "evaluate", "--frequency", "daily", "--series", "5", "--k", "5", "--format", "json",
                 "--method", "cidars:percentile=80;years=2", "--method", "fixed:threshold=3"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and [r["method"] for r in data["results"]] == ["cidars:percentile=80;years=2",
                                                                     "fixed:threshold=3"]
    assert all(0 <= r["false_positive_rate"] <= 1 for r in data["results"])


def test_shipped_demo_counts_are_generated() -> None:
    assert counts_file().read_text(encoding="utf-8") == generate_counts()
