"""bench/simulate.py through its command line: the JSON's shape, the issue's three claims with
the default size, and the same output for the same seed. Pure Python: no database."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTING_KEYS = {"decision_accuracy", "max_exposure", "leak_detected_after_days"}


def simulate(*args):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "simulate.py"), *args], capture_output=True, text=True,
                          check=True, timeout=120, cwd=ROOT)
    return done.stdout


def test_it_prints_exactly_the_two_settings_and_their_three_figures():
    figures = json.loads(simulate("--json"))
    assert list(figures) == ["fixed", "controlled"]
    for setting in figures.values():
        assert set(setting) == SETTING_KEYS
        assert 0 <= setting["decision_accuracy"] <= 1
        assert isinstance(setting["max_exposure"], int)


def exposure_cap():
    spec = importlib.util.spec_from_file_location("simulate", ROOT / "bench" / "simulate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.EXPOSURE_CAP


def test_the_controlled_setting_decides_better_caps_exposure_and_detects_the_leak():
    figures = json.loads(simulate("--json"))  # the default seed and size, as docs/scoring.md shows
    fixed, controlled = figures["fixed"], figures["controlled"]
    assert controlled["decision_accuracy"] > fixed["decision_accuracy"]
    assert controlled["max_exposure"] <= exposure_cap() < fixed["max_exposure"]
    assert controlled["leak_detected_after_days"] is not None and controlled["leak_detected_after_days"] > 0
    assert fixed["leak_detected_after_days"] is None  # nobody looks in the fixed setting


def test_the_claims_hold_for_other_seeds_too():
    # Accuracy and the cap in every run; the leak in most: a test at a 0.002 level on 20 uses a
    # side misses now and then (27 of 30 seeds found it, docs/scoring.md), so 8 of 10 here.
    found = 0
    for seed in range(10):
        fixed, controlled = json.loads(simulate("--json", "--seed", str(seed))).values()
        assert controlled["decision_accuracy"] > fixed["decision_accuracy"]
        assert controlled["max_exposure"] <= exposure_cap() < fixed["max_exposure"]
        found += controlled["leak_detected_after_days"] is not None
    assert found >= 8


def test_the_same_seed_gives_the_same_output_and_another_seed_another():
    assert simulate("--json", "--seed", "5") == simulate("--json", "--seed", "5")
    assert simulate("--json", "--seed", "5") != simulate("--json", "--seed", "6")


def test_it_prints_a_table_without_json():
    text = simulate("--candidates", "200")
    assert "Decision accuracy" in text and "fixed" in text and "controlled" in text


def test_it_refuses_a_size_out_of_range():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "simulate.py"), "--candidates", "5"],
                          check=False, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2 and "--candidates must be between" in done.stderr
