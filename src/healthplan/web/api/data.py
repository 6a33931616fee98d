"""Data sets: forms, validation, saving, Excel upload and templates; the approval workflow; raw values; audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from healthplan.domain.datasets import DataSet
from healthplan.domain.problems import HealthplanError, Problem, ValidationFailed
from healthplan.store import audit
from healthplan.store.approval import Action
from healthplan.store.datasets import approval_data_set_of, approval_data_sets, get_approval_data_set
from healthplan.store.values import read_values
from healthplan.web import entry, workflow
from healthplan.web.api.reply import XLSX, reply
from healthplan.web.deps import Caller, Downloader, State
from healthplan.web.errors import Forbidden
from healthplan.web.permissions import PLANNING, require_role
from healthplan.web.visibility import WITHHELD_EN, WITHHELD_ZH

router = APIRouter(tags=["数据 data"])


class FormValues(BaseModel):
    """One form: the org unit, the year, and the fields by data element code (empty/null = not reported)."""

    org_unit: str = Field(max_length=64)
    period: str = Field(max_length=10)
    values: dict[str, float | str | None] = Field(default_factory=dict)

    def raw(self, ds: DataSet) -> dict[str, str]:
        """The fields as form texts; a code the data set does not collect is rejected."""
        unknown = sorted(set(self.values) - set(ds.elements))
        if unknown:
            raise ValidationFailed([Problem(f"“{code}”不是“{ds.name}”的数据元", f"{code} is not part of {ds.code}",
                                            ds.code, None, code) for code in unknown])
        return {k: "" if v is None else str(v) for k, v in self.values.items()}


class Reason(BaseModel):
    reason: str = Field(default="", max_length=500)


@router.get("/data-sets", summary="报表列表 / data sets")
def sets(_caller: Caller) -> JSONResponse:
    return reply([ds.to_json() for ds in approval_data_sets().values()])


@router.get("/data-sets/{code}", summary="报表定义与校验规则 / a data set and its rules")
def one_set(code: str, _caller: Caller, state: State) -> JSONResponse:
    ds = get_approval_data_set(code)
    elements = state.catalog.data_elements
    return reply({**ds.to_json(), "elements": [{"code": e, "name": elements[e].name, "name_en": elements[e].name_en,
                                                "unit": elements[e].unit, "value_type": elements[e].value_type.value}
                                               for e in ds.elements if e in elements]})


@router.get("/data-sets/{code}/form", summary="一张表单（机构或区域 × 年）/ one form")
def form(code: str, org_unit: str, period: str, caller: Caller, state: State) -> JSONResponse:
    ds = get_approval_data_set(code)
    return reply(entry.load_form(state, caller.user, ds, org_unit, period).to_json(state))


@router.post("/data-sets/{code}/validate", summary="校验表单（不保存）/ validate without saving")
def validate(code: str, body: FormValues, caller: Caller, state: State) -> JSONResponse:
    ds = get_approval_data_set(code)
    form = entry.load_form(state, caller.user, ds, body.org_unit, body.period)
    _values, problems, violations = entry.validate(state, ds, form.org_unit, form.period, body.raw(ds))
    return reply({"problems": [p.to_json() for p in problems], "violations": [v.to_json() for v in violations],
                  "ok": not problems and not any(v.blocking for v in violations)})


@router.put("/data-sets/{code}/values", summary="保存表单（全部通过才写入，留痕）/ save a form")
def save(code: str, body: FormValues, caller: Caller, state: State) -> JSONResponse:
    ds = get_approval_data_set(code)
    changes = entry.save_form(state, caller.user, ds, body.org_unit, body.period, body.raw(ds))
    saved = entry.load_form(state, caller.user, ds, body.org_unit, body.period)
    return reply({"changes": changes.to_json(), "form": saved.to_json(state)})


@router.post("/data-sets/{code}/upload", summary="上传 Excel/CSV（逐行报错，全部通过才写入）/ upload a file")
async def upload(code: str, caller: Caller, state: State, file: Annotated[UploadFile, File()],
                 period: Annotated[str | None, Form(max_length=10)] = None) -> JSONResponse:
    ds = get_approval_data_set(code)
    content = await file.read()
    changes = await run_in_threadpool(entry.upload, state, caller.user, ds, file.filename or "", content,
                                      period or None)
    return reply({"changes": changes.to_json()})


@router.get("/data-sets/{code}/template.xlsx", summary="下载填报模板（含现有数据）/ download an entry template")
def template(code: str, area: str, period: str, caller: Downloader, state: State) -> Response:
    ds = get_approval_data_set(code)
    content = entry.template(state, caller.user, ds, area, period)
    return Response(content, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"template-{code}-{area}-{ds.check_period(period)}.xlsx\""})


@router.get("/approvals", summary="审核看板 / approval board")
def approvals(data_set: str, period: str, caller: Caller, state: State) -> JSONResponse:
    return reply(workflow.board(state, caller.user, get_approval_data_set(data_set), period))


@router.post("/approvals/{data_set}/{org_unit}/{period}/{action}",
             summary="上报 submit / 审核通过 approve / 退回 return / 解锁 unlock")
def act(data_set: str, org_unit: str, period: str, action: Action, body: Reason, caller: Caller,
        state: State) -> JSONResponse:
    ds = get_approval_data_set(data_set)
    result = workflow.act(state, caller.user, ds, org_unit, period, action, body.reason)
    return reply(result.to_json())


@router.get("/approvals/{data_set}/{org_unit}/{period}/history", summary="审核记录 / approval history")
def approval_history(data_set: str, org_unit: str, period: str, _caller: Caller, state: State) -> JSONResponse:
    ds = get_approval_data_set(data_set)
    return reply(workflow.history(state, ds, org_unit, ds.check_period(period)))


@router.get("/values", summary="原始数据值（未审核数据仅本级及上级可见）/ raw values")
def values(caller: Caller, state: State, data_element: str | None = None, org_unit: str | None = None,
           period: str | None = None, limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000) -> JSONResponse:
    if data_element is None and org_unit is None and period is None:
        raise HealthplanError("请至少给出 data_element、org_unit、period 之一（全部导出请用 healthplan export values）",
                              "give data_element, org_unit or period (a full dump is 'healthplan export values')")
    vis = state.visibility(caller.user)
    with state.database.sessions() as session:
        rows = read_values(session, data_element, org_unit, period)
    shown, withheld = [], 0
    for de, ou, p, disagg, value, comment in rows:
        ds = approval_data_set_of(de)
        if ou in state.tree and ds is not None and vis.report_hidden(ds, ou, p):
            withheld += 1
            continue
        shown.append({"data_element": de, "org_unit": ou, "period": p, "disaggregation": disagg, "value": value,
                      "comment": comment})
    if withheld and not shown:
        raise Forbidden(WITHHELD_ZH, WITHHELD_EN)
    return reply({"values": shown[:limit], "withheld": withheld, "total": len(shown)})


@router.get("/audit", summary="审计日志（规划人员、管理员；本辖区）/ audit log")
def audit_log(caller: Caller, state: State, org_unit: str | None = None, entity: str | None = None,
              limit: Annotated[int, Query(ge=1, le=2000)] = 200) -> JSONResponse:
    require_role(caller.user, PLANNING)
    with state.database.sessions() as session:
        entries = audit.history(session, entity=entity, org_unit=org_unit, limit=limit * 4)
    tree = state.tree
    mine = [e for e in entries if e.org_unit is not None and e.org_unit in tree
            and tree.within(e.org_unit, caller.user.scope)][:limit]
    return reply([{"id": e.id, "at": e.at.isoformat(), "user": e.user, "action": e.action, "entity": e.entity,
                   "key": e.key, "data_element": e.data_element, "org_unit": e.org_unit, "period": e.period,
                   "old": e.old_value, "new": e.new_value, "reason": e.reason} for e in mine])
