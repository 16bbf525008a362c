"""The synthetic CMS's knobs are data: params.yaml is loaded strictly and drives the output."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import yaml

from annexa.source.synthetic import ParamsError, generate, load_params, measure_rates
from annexa.source.synthetic.codes import Weighted
from annexa.source.synthetic.params import (
    PARAMS_PATH,
    Cascade,
    Cumulative,
    Delay,
    Span,
    params_from_dict,
)

pytestmark = pytest.mark.unit

AS_AT = dt.date(2026, 3, 31)


def _doc() -> dict:
    return yaml.safe_load(PARAMS_PATH.read_text(encoding="utf-8"))


def _leaves(obj: object, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for f in dataclasses.fields(obj):  # type: ignore[arg-type]
        v = getattr(obj, f.name)
        key = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(v) and not isinstance(v, Weighted | Cascade | Span | Delay):
            out.update(_leaves(v, key + "."))
        else:
            out[key] = v
    return out


def test_shipped_file_loads_and_probabilities_are_probabilities() -> None:
    p = load_params()
    leaves = _leaves(p)
    assert leaves["referrals.p_referral_nfa"] == 0.068
    assert leaves["care_scale"] == 1.0  # set per scale, not in the file
    probs = {k: v for k, v in leaves.items() if k.rsplit(".", 1)[-1].startswith("p_")}
    assert len(probs) > 120  # the knobs live in the file, not inline in the model
    assert all(isinstance(v, float) and 0.0 <= v <= 1.0 for v in probs.values())
    for k, v in leaves.items():
        if isinstance(v, Cumulative):
            assert list(v.cum) == sorted(v.cum) and v.cum[-1] == 1.0, k
        if isinstance(v, Cascade):
            assert v.steps[-1][1] == 1.0, k
        if isinstance(v, Delay):
            assert 0.0 <= v.p_none <= 1.0 and v.otherwise.n > 0, k


def test_unknown_key_is_refused_by_name() -> None:
    doc = _doc()
    doc["referrals"]["p_referal_nfa"] = 0.1  # a typo must not pass silently
    with pytest.raises(ParamsError, match=r"unknown key referrals\.p_referal_nfa"):
        params_from_dict(doc)
    doc = _doc()
    doc["calibration"] = {}
    with pytest.raises(ParamsError, match="unknown key calibration"):
        params_from_dict(doc)


def test_missing_key_wrong_type_and_bad_probability_are_refused() -> None:
    doc = _doc()
    del doc["protection"]["p_icpc"]
    with pytest.raises(ParamsError, match=r"missing key protection\.p_icpc"):
        params_from_dict(doc)
    doc = _doc()
    doc["cin"]["cin_plan_median_days"] = "160"
    with pytest.raises(ParamsError, match=r"cin\.cin_plan_median_days must be a number"):
        params_from_dict(doc)
    doc = _doc()
    doc["care"]["p_ffa"] = 1.5
    with pytest.raises(ParamsError, match=r"care\.p_ffa is a probability"):
        params_from_dict(doc)
    doc = _doc()
    doc["protection"]["cp_outcome"] = [["stepdown", 0.49], ["close"]]
    with pytest.raises(ParamsError, match=r"protection\.cp_outcome\[1\]"):
        params_from_dict(doc)
    doc = _doc()
    doc["referrals"]["source_uasc"] = [[6, 0.5], ["7", 0.6], ["8", 1.0]]  # unquoted code
    with pytest.raises(ParamsError, match=r"referrals\.source_uasc\[0\] item"):
        params_from_dict(doc)
    doc = _doc()
    doc["care"]["emergency_legal"] = [["L1", 0.85], ["L2", 0.55], ["V2", 1.0]]
    with pytest.raises(ParamsError, match=r"care\.emergency_legal bounds must ascend"):
        params_from_dict(doc)
    doc = _doc()
    doc["front_door"]["early_help_days"] = [60.5, 240]
    with pytest.raises(ParamsError, match=r"front_door\.early_help_days\[0\] must be a whole"):
        params_from_dict(doc)


def test_a_calibration_change_in_the_yaml_changes_the_cms(tmp_path: Path) -> None:
    """Same seed, one probability altered in a copy of params.yaml: the CMS follows the file."""
    doc = _doc()
    doc["referrals"]["p_referral_nfa"] = 0.6
    altered = tmp_path / "params.yaml"
    altered.write_text(yaml.safe_dump(doc), encoding="utf-8")
    p = load_params(altered)
    assert p.referrals.p_referral_nfa == 0.6
    assert p.assessments == load_params().assessments  # only the changed key moved

    base_url = f"sqlite:///{tmp_path / 'base.db'}"
    alt_url = f"sqlite:///{tmp_path / 'alt.db'}"
    base_counts = generate(base_url, scale="small", seed=4, as_at=AS_AT)
    alt_counts = generate(alt_url, scale="small", seed=4, as_at=AS_AT, params=p)
    base, alt = measure_rates(base_url, AS_AT), measure_rates(alt_url, AS_AT)
    # NFA at referral applies to general referrals only (not transfers in, not re-masked ones)
    assert base["referral_nfa_pct"] < 10.0
    assert alt["referral_nfa_pct"] > 35.0
    # fewer referrals go on to assessment, so fewer assessments
    assert alt_counts["ssd_cin_assessments"] < 0.75 * base_counts["ssd_cin_assessments"]
