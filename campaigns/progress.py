"""A goal's progress and forecast from its measured history: pure functions, no database.

The forecast fits a least-squares straight line through the measurements (value against
day) and extends it to the deadline. It needs two measurements on different days; with
fewer it says so instead of guessing. The method is stated beside every forecast.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

ONE_PLACE = Decimal("0.1")
CENTS = Decimal("0.01")


class Forecast(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on track"
    AT_RISK = "at risk"
    MISSED = "missed"
    NOT_ENOUGH_DATA = "not enough data"


@dataclass(frozen=True)
class Progress:
    current: Decimal | None  # the latest measured value
    achieved_percent: Decimal | None  # of the way from baseline to target
    pace_per_week: Decimal | None  # change needed each week from now to the deadline
    projected: Decimal | None  # where the fitted line reaches by the deadline
    forecast: Forecast
    method: str


def _reached(value: Decimal, target: Decimal, rising: bool) -> bool:
    return value >= target if rising else value <= target


def _fit(points: list[tuple[date, Decimal]]) -> tuple[Decimal, Decimal] | None:
    """Least-squares slope per day and intercept (at day 0 = the first measurement)."""
    if len({day for day, _ in points}) < 2:
        return None
    origin = points[0][0]
    xs = [Decimal((day - origin).days) for day, _ in points]
    ys = [value for _, value in points]
    n = Decimal(len(points))
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    return slope, mean_y - slope * mean_x


def goal_progress(
    *,
    baseline: Decimal,
    target: Decimal,
    deadline: date,
    measurements: list[tuple[date, Decimal]],
    today: date,
) -> Progress:
    points = sorted(measurements)
    rising = target > baseline
    current = points[-1][1] if points else None
    achieved_percent = None
    if current is not None and target != baseline:
        share = (current - baseline) / (target - baseline) * 100
        achieved_percent = share.quantize(ONE_PLACE, ROUND_HALF_UP)
    days_left = (deadline - today).days
    pace = None
    if current is not None and days_left > 0 and not _reached(current, target, rising):
        pace = ((target - current) * 7 / days_left).quantize(CENTS, ROUND_HALF_UP)

    fit = _fit(points)
    projected = None
    if fit:
        slope, intercept = fit
        projected = (intercept + slope * (deadline - points[0][0]).days).quantize(
            CENTS, ROUND_HALF_UP
        )
        span = f"{points[0][0]:%d %b} to {points[-1][0]:%d %b %Y}"
        method = (
            f"Least-squares line through {len(points)} measurements ({span}), "
            f"extended to the deadline."
        )
    else:
        method = "A forecast needs two measurements on different days."

    if current is not None and _reached(current, target, rising):
        forecast = Forecast.ACHIEVED
    elif days_left < 0:
        forecast = Forecast.MISSED
    elif projected is None:
        forecast = Forecast.NOT_ENOUGH_DATA
    elif _reached(projected, target, rising):
        forecast = Forecast.ON_TRACK
    else:
        forecast = Forecast.AT_RISK
    return Progress(current, achieved_percent, pace, projected, forecast, method)
