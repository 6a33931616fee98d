"""The operational schema (SQLAlchemy 2). Alembic migrations in ``store/migrations`` create it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class OrgUnitRow(Base):
    """Areas and facilities alike; a facility's effective-dated attributes live in FacilityVersionRow."""

    __tablename__ = "org_unit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    urban_rural: Mapped[str | None] = mapped_column(String(8))


class FacilityVersionRow(Base):
    __tablename__ = "facility_version"
    __table_args__ = (UniqueConstraint("facility_id", "valid_from"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    specialty: Mapped[str | None] = mapped_column(String(32))
    level: Mapped[int] = mapped_column(Integer, default=0)
    grade: Mapped[str | None] = mapped_column(String(1))
    ownership: Mapped[str] = mapped_column(String(8))
    host: Mapped[str | None] = mapped_column(String(16))
    urban_rural: Mapped[str | None] = mapped_column(String(8))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    central: Mapped[bool] = mapped_column(Boolean, default=False)
    groups: Mapped[str] = mapped_column(Text, default="")


class DataElementRow(Base):
    __tablename__ = "data_element"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(8))
    value_type: Mapped[str] = mapped_column(String(8))
    aggregation: Mapped[str] = mapped_column(String(8))
    recorded_at: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str] = mapped_column(String(32), default="")
    minimum: Mapped[float | None] = mapped_column(Float)
    maximum: Mapped[float | None] = mapped_column(Float)


class DataValueRow(Base):
    __tablename__ = "data_value"
    __table_args__ = (
        UniqueConstraint("data_element", "org_unit_id", "period", "disaggregation"),
        Index("ix_data_value_period", "period"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    data_element: Mapped[str] = mapped_column(ForeignKey("data_element.code"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    disaggregation: Mapped[str] = mapped_column(String(64), default="")
    value: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default="draft")
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AuditRow(Base):
    """Every write, in order: the engine replays entries after its last seen id to invalidate its cache."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(32), index=True)
    key: Mapped[str] = mapped_column(String(200))
    data_element: Mapped[str | None] = mapped_column(String(64))
    org_unit: Mapped[str | None] = mapped_column(String(64))
    period: Mapped[str | None] = mapped_column(String(10))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")


class IndicatorRow(Base):
    """User-defined indicators (from plan files, the web or the API); the built-in ones live in the catalog."""

    __tablename__ = "indicator"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan_code: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(32), default="")
    decimals: Mapped[int] = mapped_column(Integer, default=2)
    polarity: Mapped[str] = mapped_column(String(16))
    display: Mapped[str] = mapped_column(String(8), default="number")
    numerator: Mapped[str] = mapped_column(Text)
    denominator: Mapped[str | None] = mapped_column(Text)
    factor: Mapped[float] = mapped_column(Float, default=1)
    definition: Mapped[str] = mapped_column(Text, default="")


class PlanRow(Base):
    __tablename__ = "plan"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    org_unit: Mapped[str] = mapped_column(String(64))
    base_year: Mapped[int] = mapped_column(Integer)
    target_year: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(String(300), default="")


class TargetRow(Base):
    __tablename__ = "target"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_code: Mapped[str] = mapped_column(ForeignKey("plan.code", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(String(64))
    org_unit: Mapped[str | None] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(16))
    value: Mapped[float | None] = mapped_column(Float)
    value_high: Mapped[float | None] = mapped_column(Float)
    tolerance: Mapped[float | None] = mapped_column(Float)
    tolerance_relative: Mapped[bool] = mapped_column(Boolean, default=True)
    baseline: Mapped[float | None] = mapped_column(Float)
    nature: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(100), default="")
    label: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    judgement: Mapped[str | None] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(Text, default="")
