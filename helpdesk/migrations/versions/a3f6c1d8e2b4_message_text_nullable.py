"""message.text nullable: an answer's plain text is derived from its Markdown when read, not stored

Revision ID: a3f6c1d8e2b4
Revises: e7f3a9c2b5d1
Create Date: 2026-12-02 07:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'a3f6c1d8e2b4'
down_revision = 'e7f3a9c2b5d1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.alter_column('text', existing_type=sa.Text(), nullable=True)


def downgrade():
    # The answers stored since keep their Markdown as their text (the renderer is not the migration's).
    op.execute("UPDATE message SET text = COALESCE(answer_markdown, '') WHERE text IS NULL")
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.alter_column('text', existing_type=sa.Text(), nullable=False)
