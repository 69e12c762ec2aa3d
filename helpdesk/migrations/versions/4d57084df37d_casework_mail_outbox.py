"""casework: mail outbox, the `waiting` status, one ticket per chat message, no-login emergency reports

Revision ID: 4d57084df37d
Revises: c9dd6a79f7b8
Create Date: 2026-12-01 20:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = '4d57084df37d'
down_revision = 'c9dd6a79f7b8'
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('new', 'in_progress', 'answered', 'closed')"
NEW_STATUSES = "status IN ('new', 'in_progress', 'waiting', 'answered', 'closed')"


def upgrade():
    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('ticket_ref', sa.String(length=16), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'sending', 'sent', 'filed', 'failed')",
                       name=op.f('ck_mail_outbox_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_outbox_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_ticket_ref'), ['ticket_ref'], unique=False)

    # Before the unique constraint: a message handed off twice keeps its first ticket's link to it.
    op.execute("UPDATE ticket SET message_id = NULL WHERE message_id IS NOT NULL AND id NOT IN "
               "(SELECT first_id FROM (SELECT MIN(id) AS first_id FROM ticket WHERE message_id IS NOT NULL "
               "GROUP BY conversation_id, message_id) AS firsts)")
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_ticket_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_ticket_status'), NEW_STATUSES)
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('notify_mode', sa.String(length=10), nullable=False, server_default='link'))
        batch_op.add_column(sa.Column('notify_lang', sa.String(length=2), nullable=False, server_default='ja'))
        batch_op.create_check_constraint(op.f('ck_ticket_notify_mode'), "notify_mode IN ('link', 'full')")
        batch_op.alter_column('owner_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_unique_constraint('uq_ticket_conversation_message', ['conversation_id', 'message_id'])

    with op.batch_alter_table('consent_record', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lang', sa.String(length=2), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('lang')

    op.execute("DELETE FROM consent_record WHERE user_id IS NULL")
    with op.batch_alter_table('consent_record', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)

    op.execute("DELETE FROM ticket WHERE owner_id IS NULL")
    op.execute("UPDATE ticket SET status = 'in_progress' WHERE status = 'waiting'")
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_constraint('uq_ticket_conversation_message', type_='unique')
        batch_op.alter_column('owner_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(op.f('ck_ticket_notify_mode'), type_='check')
        batch_op.drop_column('notify_lang')
        batch_op.drop_column('notify_mode')
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_email')
        batch_op.drop_constraint(op.f('ck_ticket_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_ticket_status'), OLD_STATUSES)

    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_outbox_ticket_ref'))
        batch_op.drop_index(batch_op.f('ix_mail_outbox_status'))
        batch_op.drop_index(batch_op.f('ix_mail_outbox_next_attempt_at'))
    op.drop_table('mail_outbox')
