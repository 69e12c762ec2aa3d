"""answer_feedback: the asker's helpful / not helpful verdict (and comment) on a chat answer

Revision ID: e7f3a9c2b5d1
Revises: 4d57084df37d
Create Date: 2026-12-01 23:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e7f3a9c2b5d1'
down_revision = '4d57084df37d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('answer_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('helpful', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_answer_feedback_message_id_message'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_feedback')),
    sa.UniqueConstraint('message_id', name=op.f('uq_answer_feedback_message_id'))
    )


def downgrade():
    op.drop_table('answer_feedback')
