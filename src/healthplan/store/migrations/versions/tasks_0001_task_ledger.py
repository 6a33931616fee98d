"""tasks: the key-task ledger (task lists, tasks, milestones, progress reports)

Revision ID: tasks_0001
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "tasks_0001"
down_revision = "0001"
branch_labels = ("tasks",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_list",
        sa.Column("plan_code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("stage_header", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["plan_code"], ["plan.code"], name=op.f("fk_task_list_plan_code_plan"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("plan_code", name=op.f("pk_task_list")),
    )
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_code", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("group_code", sa.String(length=16), nullable=False),
        sa.Column("group_name", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("stage_goal", sa.Text(), nullable=False),
        sa.Column("leaders", sa.Text(), nullable=False),
        sa.Column("units", sa.Text(), nullable=False),
        sa.Column("persons", sa.Text(), nullable=False),
        sa.Column("deadline_text", sa.String(length=200), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("continuing", sa.Boolean(), nullable=False),
        sa.Column("continuing_from", sa.Date(), nullable=True),
        sa.Column("recurrence", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("target_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["plan_code"], ["plan.code"], name=op.f("fk_task_plan_code_plan"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
        sa.UniqueConstraint("plan_code", "code", name=op.f("uq_task_plan_code")),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_plan_code"), ["plan_code"], unique=False)
    op.create_table(
        "task_milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_task_milestone_task_id_task"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_milestone")),
        sa.UniqueConstraint("task_id", "title", name=op.f("uq_task_milestone_task_id")),
    )
    with op.batch_alter_table("task_milestone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_milestone_task_id"), ["task_id"], unique=False)
    op.create_table(
        "task_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("percent", sa.Float(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("evidence_path", sa.Text(), nullable=False),
        sa.Column("evidence_name", sa.String(length=300), nullable=False),
        sa.Column("reported_by", sa.String(length=64), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_task_progress_task_id_task"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_progress")),
        sa.UniqueConstraint("task_id", "reported_on", name=op.f("uq_task_progress_task_id")),
    )
    with op.batch_alter_table("task_progress", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_progress_task_id"), ["task_id"], unique=False)


def downgrade() -> None:
    op.drop_table("task_progress")
    op.drop_table("task_milestone")
    op.drop_table("task")
    op.drop_table("task_list")
