"""The budget planner of step 4: what the term sheets cost against the campaign budget.

Pure functions over loaded rows, no queries. Money stays Decimal; a number nobody entered is
None and is shown as missing, never as 0; amounts in different currencies are never added.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from campaigns.models import TermSheet


@dataclass(frozen=True)
class SheetCost:
    sheet: TermSheet
    currency: str
    fee: Decimal | None
    product_value: Decimal | None
    commission_rate: Decimal | None  # variable: shown beside the cost, never added to it
    per_influencer: Decimal | None  # fee + product value; None when neither is known
    planned_total: Decimal | None  # per influencer × influencers planned
    counted: bool  # added to the campaign total
    note: str  # why it is not counted, when it is not


@dataclass(frozen=True)
class BudgetPlan:
    sheets: list[SheetCost]
    currency: str  # the campaign budget's
    budget: Decimal | None
    total: Decimal  # of the counted sheets, in `currency`
    left_out: int  # sheets not added: another currency or no known cost

    @property
    def difference(self) -> Decimal | None:
        """Budget minus total: negative when over budget, None without a budget."""
        return None if self.budget is None else self.budget - self.total

    @property
    def over_by(self) -> Decimal | None:
        difference = self.difference
        return -difference if difference is not None and difference < 0 else None

    @property
    def under_by(self) -> Decimal | None:
        difference = self.difference
        return difference if difference is not None and difference >= 0 else None

    @property
    def warning(self) -> str:
        return f"Over budget by {self.currency} {self.over_by:,.2f}" if self.over_by else ""


def sheet_cost(sheet: TermSheet, *, budget_currency: str) -> SheetCost:
    known = [amount for amount in (sheet.fee_amount, sheet.product_value) if amount is not None]
    per_influencer = sum(known, Decimal(0)) if known else None
    planned_total = None if per_influencer is None else per_influencer * sheet.influencers_planned
    note = ""
    if planned_total is None:
        note = "No fixed cost known (commission only): not added."
    elif sheet.currency != budget_currency:
        note = f"In {sheet.currency}, the budget in {budget_currency}: cannot be added."
    return SheetCost(
        sheet=sheet,
        currency=sheet.currency,
        fee=sheet.fee_amount,
        product_value=sheet.product_value,
        commission_rate=sheet.commission_rate,
        per_influencer=per_influencer,
        planned_total=planned_total,
        counted=not note,
        note=note,
    )


def budget_plan(
    sheets: Sequence[TermSheet], *, budget: Decimal | None, budget_currency: str
) -> BudgetPlan:
    costs = [sheet_cost(sheet, budget_currency=budget_currency) for sheet in sheets]
    counted = [cost.planned_total for cost in costs if cost.counted]
    return BudgetPlan(
        sheets=costs,
        currency=budget_currency,
        budget=budget,
        total=sum(counted, Decimal(0)).quantize(Decimal("0.01")),
        left_out=len(costs) - len(counted),
    )
