"""The arithmetic of a cumulative spending plan: share of the budget, step since the last point."""


def budget_share(amount: float | None, budget: float | None) -> float | None:
    """Percent of the budget a cumulative amount reaches (2 decimals); None when unknown."""
    if amount is None or not budget:
        return None
    return round(amount / budget * 100, 2)


def step_since(amount: float | None, previous: float | None) -> float | None:
    """What a checkpoint adds to the one before; a blank earlier checkpoint counts as nothing."""
    if amount is None:
        return None
    return round(amount - (previous or 0.0), 2)
