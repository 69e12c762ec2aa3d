"""faq revisions: an English version beside the Japanese one

Revision ID: c4d2e8a1f907
Revises: c4a1e2f09d31
Create Date: 2026-12-01 20:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4d2e8a1f907'
down_revision = 'c4a1e2f09d31'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('faq_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question_en', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('alternatives_en', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('answer_en', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('faq_revision', schema=None) as batch_op:
        batch_op.drop_column('answer_en')
        batch_op.drop_column('alternatives_en')
        batch_op.drop_column('question_en')
