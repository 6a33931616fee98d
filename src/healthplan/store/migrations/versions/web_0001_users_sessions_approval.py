"""web: users, sessions, API tokens, failed logins, data-set approval

Revision ID: web_0001
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "web_0001"
down_revision = "0001"
branch_labels = ("web",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_user")),
        sa.UniqueConstraint("username", name=op.f("uq_web_user_username")),
    )
    op.create_table(
        "web_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["web_user.id"], name=op.f("fk_web_session_user_id_web_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
    )
    op.create_index(op.f("ix_web_session_user_id"), "web_session", ["user_id"], unique=False)
    op.create_index(op.f("ix_web_session_expires_at"), "web_session", ["expires_at"], unique=False)
    op.create_table(
        "web_api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["web_user.id"], name=op.f("fk_web_api_token_user_id_web_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_api_token_token_hash")),
    )
    op.create_index(op.f("ix_web_api_token_user_id"), "web_api_token", ["user_id"], unique=False)
    op.create_table(
        "web_login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_login_failure")),
    )
    op.create_index(op.f("ix_web_login_failure_username"), "web_login_failure", ["username"], unique=False)
    op.create_index(op.f("ix_web_login_failure_client"), "web_login_failure", ["client"], unique=False)
    op.create_index(op.f("ix_web_login_failure_at"), "web_login_failure", ["at"], unique=False)
    op.create_table(
        "data_approval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data_set", sa.String(length=64), nullable=False),
        sa.Column("org_unit", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_approval")),
        sa.UniqueConstraint("data_set", "org_unit", "period", name=op.f("uq_data_approval_data_set")),
    )


def downgrade() -> None:
    op.drop_table("data_approval")
    op.drop_index(op.f("ix_web_login_failure_at"), table_name="web_login_failure")
    op.drop_index(op.f("ix_web_login_failure_client"), table_name="web_login_failure")
    op.drop_index(op.f("ix_web_login_failure_username"), table_name="web_login_failure")
    op.drop_table("web_login_failure")
    op.drop_index(op.f("ix_web_api_token_user_id"), table_name="web_api_token")
    op.drop_table("web_api_token")
    op.drop_index(op.f("ix_web_session_expires_at"), table_name="web_session")
    op.drop_index(op.f("ix_web_session_user_id"), table_name="web_session")
    op.drop_table("web_session")
    op.drop_table("web_user")
