"""配置: a plan's 配置规划表 for a year, the county split by the three methods, and the rules applied."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from healthplan.allocation import Method, table
from healthplan.web import allocation_table
from healthplan.web.api.allocation import resolve
from healthplan.web.deps import Caller, State
from healthplan.web.explorer import plans
from healthplan.web.permissions import DOWNLOAD
from healthplan.web.templating import render

router = APIRouter()
Year = Annotated[int | None, Query(ge=1900, le=2200)]


@router.get("/allocation")
def allocation_page(request: Request, caller: Caller, state: State, plan: str | None = None, year: Year = None,
                    current_year: Year = None, method: Annotated[Method, Query()] = Method.POPULATION) -> Response:
    result = resolve(state, caller, plan, year, current_year, method)
    chosen = result.plan
    return render(request, "allocation.html", {
        "plans": plans(state), "result": result, "plan": chosen, "methods": list(Method),
        "years": sorted(set(range(result.current_year, chosen.target_year + 6)) | {result.year}),
        "region_columns": table.REGION_COLUMNS, "region_rows": table.region_rows(result),
        "county_columns": table.COUNTY_COLUMNS, "county_rows": table.county_rows(result, method),
        "rule_columns": table.RULE_COLUMNS, "rule_rows": table.rule_rows(result),
        "comparison": allocation_table.comparison(result),
        "compared": [m for m in Method if any(m in item.counties for item in result.lines)],
        "can_download": caller.user.role in DOWNLOAD})
