"""mask routing examples learnt before reroutes were masked

Revision ID: c9dd6a79f7b8
Revises: c4d2e8a1f907
Create Date: 2026-12-01 20:40:00

Staff reroutes used to store a ticket's raw text as a routing example. This masks the rows already
stored (e-mail addresses, phone numbers, names) the way new reroutes are masked. Data only: the
unmasked text cannot be restored, so downgrade changes nothing.
"""
import sqlalchemy as sa
from alembic import op

from helpdesk.privacy import mask

# revision identifiers, used by Alembic.
revision = 'c9dd6a79f7b8'
down_revision = 'c4d2e8a1f907'
branch_labels = None
depends_on = None

examples = sa.table('routing_example', sa.column('id', sa.Integer), sa.column('question', sa.Text))


def upgrade():
    connection = op.get_bind()
    for row in connection.execute(sa.select(examples.c.id, examples.c.question)).all():
        masked = mask(row.question)
        if masked != row.question:
            connection.execute(examples.update().where(examples.c.id == row.id).values(question=masked))


def downgrade():
    pass
