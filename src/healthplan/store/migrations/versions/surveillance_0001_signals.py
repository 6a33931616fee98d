"""surveillance: count series, alarms, signals with their response steps, multi-point events

Revision ID: surveillance_0001
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "surveillance_0001"
down_revision = "0001"
branch_labels = ("surveillance",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "surv_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("disease", sa.String(length=64), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["org_unit_id"], ["org_unit.id"], name="fk_surv_series_org_unit_id_org_unit"),
        sa.PrimaryKeyConstraint("id", name="pk_surv_series"),
        sa.UniqueConstraint("org_unit_id", "source", "disease", name="uq_surv_series_org_unit_id"),
    )
    op.create_index("ix_surv_series_org_unit_id", "surv_series", ["org_unit_id"])
    op.create_table(
        "surv_count",
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["series_id"], ["surv_series.id"], name="fk_surv_count_series_id_surv_series"),
        sa.PrimaryKeyConstraint("series_id", "day", name="pk_surv_count"),
    )
    # Covering index: the daily run reads day ranges across all series without visiting the table.
    op.create_index("ix_surv_count_day", "surv_count", ["day", "series_id", "count"])
    op.create_table(
        "surv_signal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("first_alarm", sa.Date(), nullable=False),
        sa.Column("observed", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("fixed_threshold", sa.Boolean(), nullable=False),
        sa.Column("response_hours", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("responded_at", sa.DateTime(), nullable=True),
        sa.Column("suspected", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["series_id"], ["surv_series.id"], name="fk_surv_signal_series_id_surv_series"),
        sa.PrimaryKeyConstraint("id", name="pk_surv_signal"),
    )
    for column in ("first_alarm", "series_id", "status", "window_end"):
        op.create_index(f"ix_surv_signal_{column}", "surv_signal", [column])
    op.create_table(
        "surv_alarm",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("observed", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["series_id"], ["surv_series.id"], name="fk_surv_alarm_series_id_surv_series"),
        sa.ForeignKeyConstraint(["signal_id"], ["surv_signal.id"], name="fk_surv_alarm_signal_id_surv_signal"),
        sa.PrimaryKeyConstraint("id", name="pk_surv_alarm"),
        sa.UniqueConstraint("series_id", "day", name="uq_surv_alarm_series_id"),
    )
    op.create_index("ix_surv_alarm_signal_id", "surv_alarm", ["signal_id"])
    op.create_table(
        "surv_signal_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["signal_id"], ["surv_signal.id"], name="fk_surv_signal_step_signal_id_surv_signal"),
        sa.PrimaryKeyConstraint("id", name="pk_surv_signal_step"),
    )
    op.create_index("ix_surv_signal_step_signal_id", "surv_signal_step", ["signal_id"])
    op.create_table(
        "surv_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["org_unit_id"], ["org_unit.id"], name="fk_surv_event_org_unit_id_org_unit"),
        sa.PrimaryKeyConstraint("id", name="pk_surv_event"),
    )
    op.create_index("ix_surv_event_org_unit_id", "surv_event", ["org_unit_id"])
    op.create_index("ix_surv_event_rule", "surv_event", ["rule"])
    op.create_table(
        "surv_event_signal",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["surv_event.id"], name="fk_surv_event_signal_event_id_surv_event"),
        sa.ForeignKeyConstraint(["signal_id"], ["surv_signal.id"], name="fk_surv_event_signal_signal_id_surv_signal"),
        sa.PrimaryKeyConstraint("event_id", "signal_id", name="pk_surv_event_signal"),
    )


def downgrade() -> None:
    for table in ("surv_event_signal", "surv_event", "surv_signal_step", "surv_alarm", "surv_signal", "surv_count",
                  "surv_series"):
        op.drop_table(table)
