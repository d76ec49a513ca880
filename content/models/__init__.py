"""Models of the content app: territories, action plans, indicators, directory.

Split by concept (as `wagtail/models/` is); everything is importable from
`content.models`.
"""

from content.models.action_plans import (
    ACTION_STATUS_PROGRESS,
    ActionPage,
    ActionPlanPage,
    ActionStatus,
    Audience,
    PartnerDirectoryPage,
    PlanStatus,
)
from content.models.indicators import Indicator, IndicatorSource, IndicatorValue
from content.models.territories import (
    TIME_ZONE_CHOICES,
    Country,
    HomePage,
    PartnerKind,
    PartnerOrganisation,
    TerritoryCodeField,
    TerritoryGroup,
    TerritoryKind,
    TerritoryPage,
    TerritoryRole,
    territory_code_validator,
)

__all__ = [
    "ACTION_STATUS_PROGRESS",
    "TIME_ZONE_CHOICES",
    "ActionPage",
    "ActionPlanPage",
    "ActionStatus",
    "Audience",
    "Country",
    "HomePage",
    "Indicator",
    "IndicatorSource",
    "IndicatorValue",
    "PartnerDirectoryPage",
    "PartnerKind",
    "PartnerOrganisation",
    "PlanStatus",
    "TerritoryCodeField",
    "TerritoryGroup",
    "TerritoryKind",
    "TerritoryPage",
    "TerritoryRole",
    "territory_code_validator",
]
