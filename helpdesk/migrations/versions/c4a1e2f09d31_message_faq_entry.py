"""message.faq_entry: the desk FAQ entry whose answer led a chat reply

Revision ID: c4a1e2f09d31
Revises: c4a1d7e9f203
Create Date: 2026-12-01 21:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c4a1e2f09d31'
down_revision = 'c4a1d7e9f203'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('faq_entry', sa.String(length=160), nullable=True))
        batch_op.create_index(batch_op.f('ix_message_faq_entry'), ['faq_entry'], unique=False)


def downgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_faq_entry'))
        batch_op.drop_column('faq_entry')
