from datetime import date
from decimal import Decimal

from campaigns.progress import Forecast, goal_progress

TODAY = date(2026, 11, 27)


def _progress(measurements, *, baseline="10000", target="13000", deadline=date(2026, 12, 31)):
    return goal_progress(
        baseline=Decimal(baseline),
        target=Decimal(target),
        deadline=deadline,
        measurements=[(day, Decimal(value)) for day, value in measurements],
        today=TODAY,
    )


def test_a_steady_climb_that_reaches_the_target_in_time_is_on_track():
    progress = _progress([(date(2026, 11, 1), "10000"), (date(2026, 11, 27), "12000")])
    assert progress.current == Decimal("12000")
    assert progress.achieved_percent == Decimal("66.7")
    # 1,000 more in 34 days: 205.88 a week.
    assert progress.pace_per_week == Decimal("205.88")
    # 2,000 in 26 days, extended 34 more days: 12,000 + 2,615.38.
    assert progress.projected == Decimal("14615.38")
    assert progress.forecast == Forecast.ON_TRACK
    assert progress.method.startswith("Least-squares line through 2 measurements")


def test_a_slow_climb_is_at_risk():
    progress = _progress([(date(2026, 10, 1), "10000"), (date(2026, 11, 27), "10500")])
    assert progress.forecast == Forecast.AT_RISK
    assert progress.projected < Decimal("13000")


def test_one_measurement_is_not_enough_to_forecast():
    progress = _progress([(date(2026, 11, 27), "10500")])
    assert progress.forecast == Forecast.NOT_ENOUGH_DATA
    assert progress.projected is None
    assert progress.method == "A forecast needs two measurements on different days."


def test_reaching_the_target_is_achieved_and_a_passed_deadline_is_missed():
    assert _progress([(date(2026, 11, 20), "13100")]).forecast == Forecast.ACHIEVED
    missed = _progress([(date(2026, 11, 20), "11000")], deadline=date(2026, 11, 26))
    assert missed.forecast == Forecast.MISSED
    assert missed.pace_per_week is None


def test_no_measurement_shows_nothing_as_zero():
    progress = _progress([])
    assert progress.current is None and progress.achieved_percent is None
    assert progress.forecast == Forecast.NOT_ENOUGH_DATA


def test_a_falling_target_counts_downwards():
    progress = _progress(
        [(date(2026, 11, 1), "100"), (date(2026, 11, 27), "80")], baseline="100", target="50"
    )
    assert progress.achieved_percent == Decimal("40.0")
    assert progress.forecast == Forecast.AT_RISK  # 80 - 26 more days at -0.77/day ≈ 53.85
