"""session token and e-mail verification on accounts

Revision ID: c4a1d7e9f203
Revises: b18875deab58
Create Date: 2026-12-01 20:50:00

Every existing account gets its own session token (sessions issued before the upgrade name no token
and end). Accounts of staff roles were made by an administrator (researchers are the only role that
registers itself), so they count as verified from their creation; researchers verify by the link
the ticket form offers to send.
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = 'c4a1d7e9f203'
down_revision = 'b18875deab58'
branch_labels = None
depends_on = None

user_account = sa.table(
    'user_account',
    sa.column('id', sa.Integer), sa.column('role', sa.String), sa.column('created_at', sa.DateTime),
    sa.column('session_token', sa.String), sa.column('email_verified_at', sa.DateTime),
)


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=43), nullable=True))
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(), nullable=True))

    bind = op.get_bind()
    for (user_id,) in bind.execute(sa.select(user_account.c.id)).all():
        bind.execute(user_account.update().where(user_account.c.id == user_id)
                     .values(session_token=secrets.token_urlsafe(32)))
    bind.execute(user_account.update().where(user_account.c.role != 'researcher')
                 .values(email_verified_at=user_account.c.created_at))

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=43), nullable=False)


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')
        batch_op.drop_column('session_token')
