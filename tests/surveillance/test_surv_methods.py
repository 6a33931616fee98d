"""Method parameters: R's control names in snake_case with R's defaults; the shipped configuration loads."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthplan.domain.problems import HealthplanError
from healthplan.surveillance.catalog import load_catalog
from healthplan.surveillance.detectors import FarringtonControl
from healthplan.surveillance.methods import METHODS, farrington_control, parse_assignments, parse_params


def test_defaults_are_rs() -> None:
    assert farrington_control(parse_params("farrington", {})) == FarringtonControl()
    assert parse_params("cusum", {}) == {"k": 1.04, "h": 2.26, "m": None}
    assert parse_params("ears_c3", {})["alpha"] is None  # the detector then uses R's 0.025
    assert parse_params("cidars", {}) == {"percentile": 80.0, "years": 3, "neighbours": 1, "window": 7,
                                          "min_cases": 0.0}


def test_r_spellings_are_read() -> None:
    params = parse_params("farrington", parse_assignments(["limit54=c(2,3)", "reweight=FALSE",
                                                           "past_weeks_not_included=NULL", "pow_trans=1/2"]))
    control = farrington_control(params)
    assert control.limit54 == (2, 3) and not control.reweight and control.past_weeks_not_included is None
    assert control.powertrans == "1/2"


@given(st.sampled_from(METHODS), st.text(min_size=1, max_size=12))
def test_unknown_parameters_are_refused(method: str, name: str) -> None:
    from healthplan.surveillance.methods import PARAMETERS

    if name in PARAMETERS[method]:
        return
    with pytest.raises(HealthplanError):
        parse_params(method, {name: "1"})


@given(st.integers(min_value=1, max_value=60))
def test_integer_parameters_round_trip(b: int) -> None:
    assert parse_params("farrington", {"b": str(b)})["b"] == b


def test_assignment_needs_equals() -> None:
    with pytest.raises(HealthplanError):
        parse_assignments(["b3"])


def test_shipped_configuration() -> None:
    catalog = load_catalog()
    assert len([s for s in catalog.sources.values() if s.sentinel]) == 9
    for code in ("plague", "cholera", "sars", "polio", "hpai"):
        disease = catalog.diseases[code]
        assert disease.method == "fixed" and disease.params["threshold"] == 1 and disease.response_hours == 2
    assert catalog.diseases["infectious_diarrhoea"].params["percentile"] == 80
    assert catalog.disease("其他感染性腹泻病") is catalog.diseases["infectious_diarrhoea"]
    rule = catalog.rules["diarrhoea_multipoint"]
    assert (rule.k, rule.window_days, rule.level, rule.roll_up) == (3, 3, "township", "county")


def test_bad_configuration_is_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "catalog.yaml"
    bad.write_text("sources: [{code: case_report, name: 网络直报}]\n"
                   "diseases:\n  - {code: x, name: X, method: cusum}\n  - {code: y, name: Y, method: cidars, "
                   "params: {years: many}}\n", encoding="utf-8")
    from healthplan.domain.problems import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        load_catalog(bad)
    assert len(caught.value.problems) >= 2
