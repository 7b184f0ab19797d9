"""The seven-step rail of a campaign: each step's state derived from the data, never ticked.

The rail never blocks: every step can be opened at any time, and a step says what it lacks.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from campaigns.budget import BudgetPlan
from campaigns.models import Idea, ShortlistEntry, ShortlistStatus
from campaigns.progress import Forecast, Progress


class StepState(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DONE = "done"
    NEEDS_ATTENTION = "needs attention"


@dataclass(frozen=True)
class Step:
    number: int
    name: str
    state: StepState
    note: str

    @property
    def page(self) -> str:
        """The URL name of the step's own page; "" for the steps not built yet."""
        return STEP_PAGES.get(self.number, "")


STEP_PAGES = {
    1: "campaigns-goals",
    2: "campaigns-ideas",
    3: "campaigns-shortlist",
    4: "campaigns-terms",
}
PLAYBOOK = [
    (1, "Goals"),
    (2, "Ideas"),
    (3, "Shortlist"),
    (4, "Terms"),
    (5, "Pitches"),
    (6, "Deals"),
    (7, "Results"),
]


def _goals_step(progresses: list[Progress]) -> Step:
    if not progresses:
        return Step(1, "Goals", StepState.NOT_STARTED, "Set a measurable goal.")
    troubled = [p for p in progresses if p.forecast in (Forecast.AT_RISK, Forecast.MISSED)]
    if troubled:
        note = f"{len(troubled)} goal{'s' if len(troubled) > 1 else ''} at risk or missed."
        return Step(1, "Goals", StepState.NEEDS_ATTENTION, note)
    unmeasured = sum(1 for p in progresses if p.current is None)
    if unmeasured:
        note = f"{unmeasured} goal{'s' if unmeasured > 1 else ''} without a measurement yet."
        return Step(1, "Goals", StepState.IN_PROGRESS, note)
    count = len(progresses)
    return Step(1, "Goals", StepState.DONE, f"{count} measurable goal{'s' if count > 1 else ''}.")


def _ideas_step(ideas) -> Step:
    if not ideas:
        return Step(2, "Ideas", StepState.NOT_STARTED, "Add campaign ideas.")
    chosen = sum(1 for idea in ideas if idea.chosen)
    if not chosen:
        return Step(2, "Ideas", StepState.IN_PROGRESS, "Choose an idea.")
    note = f"{chosen} idea{'s' if chosen > 1 else ''} chosen."
    return Step(2, "Ideas", StepState.DONE, note)


def _shortlist_step(entries) -> Step:
    if not entries:
        note = "Shortlist candidates from the directory."
        return Step(3, "Shortlist", StepState.NOT_STARTED, note)
    pending = sum(1 for entry in entries if entry.status == ShortlistStatus.CANDIDATE)
    approved = sum(1 for entry in entries if entry.status == ShortlistStatus.APPROVED)
    if pending:
        return Step(3, "Shortlist", StepState.IN_PROGRESS, f"{pending} awaiting a decision.")
    if not approved:
        note = "All rejected: find more candidates."
        return Step(3, "Shortlist", StepState.NEEDS_ATTENTION, note)
    return Step(3, "Shortlist", StepState.DONE, f"{approved} approved.")


def _terms_step(plan: BudgetPlan | None) -> Step:
    if plan is None or not plan.sheets:
        return Step(4, "Terms", StepState.NOT_STARTED, "Write a term sheet.")
    if plan.over_by:
        return Step(4, "Terms", StepState.NEEDS_ATTENTION, f"{plan.warning}.")
    if plan.budget is None:
        note = "Set the campaign budget to check the terms against it."
        return Step(4, "Terms", StepState.IN_PROGRESS, note)
    count = len(plan.sheets)
    note = f"{count} term sheet{'s' if count > 1 else ''} within budget."
    return Step(4, "Terms", StepState.DONE, note)


def open_steps(rail: list[Step]) -> list[Step]:
    """The steps with a page that are not done: what is left to do, first thing first."""
    return [step for step in rail if step.page and step.state != StepState.DONE]


def campaign_rail(
    goal_progresses: list[Progress],
    ideas: Sequence[Idea] = (),
    budget: BudgetPlan | None = None,
    shortlist: Sequence[ShortlistEntry] = (),
) -> list[Step]:
    steps = [_goals_step(goal_progresses), _ideas_step(ideas), _shortlist_step(shortlist)]
    for number, name in PLAYBOOK[3:]:
        if number == 4:
            steps.append(_terms_step(budget))
        else:
            steps.append(Step(number, name, StepState.NOT_STARTED, "Nothing recorded yet."))
    return steps
