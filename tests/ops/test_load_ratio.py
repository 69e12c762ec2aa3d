"""benchmarks/load.py --ratio: each 16-client window is measured against the ceilings just before and
after it, so that the machine's drift over a capacity run does not move the ratio."""
from __future__ import annotations

import importlib.util

import pytest

from helpdesk.paths import ROOT


@pytest.fixture(scope="module")
def load():
    spec = importlib.util.spec_from_file_location("load_benchmark", ROOT / "benchmarks" / "load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _window(asks_per_s: float, latencies: list[float]) -> dict:
    return {"clients": 16, "wall": 10.0, "asks_per_s": asks_per_s, "p99_ms": {"ask": max(latencies)},
            "ask_ms": latencies}


def test_each_window_is_measured_against_its_own_neighbouring_ceilings(load):
    # The machine slows down over the run: a ceiling from the start alone would call the last window 0.60.
    runs = [{"ceiling": 30.0}, _window(24.0, [200.0, 250.0]), {"ceiling": 30.0},
            _window(18.0, [300.0, 390.0]), {"ceiling": 20.0}]
    report = load.ratio_report(runs)
    assert "ceiling 30.0/s (30.0/30.0): ratio 0.80" in report
    assert "ceiling 25.0/s (30.0/20.0): ratio 0.72" in report
    # Median of 0.80 and 0.72; pooled: (24 + 18) * 10 served over (30 + 25) * 10 allowed; p99 of all asks.
    assert report.splitlines()[-1] == ("ratio over 2 window(s): median 0.76 (lowest 0.72, highest 0.80), "
                                       "pooled 0.76; served asks p99 390 ms")


@pytest.mark.parametrize("order", [
    [{"ceiling": 30.0}, _window(24.0, [200.0])],                      # no ceiling after the window
    [{"ceiling": 30.0}, _window(24.0, [200.0]), {"ceiling": 30.0}, _window(20.0, [200.0])],  # nor here
    [_window(24.0, [200.0]), {"ceiling": 30.0}, {"ceiling": 30.0}],  # not in the order they ran
])
def test_runs_out_of_order_are_refused(load, order):
    with pytest.raises(ValueError, match="in the order they ran"):
        load.ratio_report(order)
