"""designer: invitation codes (unused ones only, hashed), their batches, invitation_required

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-29 02:42:37.605682

Checked by hand: only the designer's tables and column. ``invitation_code`` has no
column that could refer to a response or a time: a used code's row is deleted.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('invitation_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.CheckConstraint('size > 0', name='batch_not_empty'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('invitation_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_batch_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('invitation_code',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_hash')
    )
    with op.batch_alter_table('invitation_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_code_consultation_id'), ['consultation_id'], unique=False)

    # A plain ADD COLUMN, not a batch copy: on SQLite with foreign keys on, rebuilding
    # the consultation table would cascade-delete every section and response.
    op.add_column(
        'consultation',
        sa.Column('invitation_required', sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    # SQLite >= 3.35 drops a column in place (no table rebuild, see upgrade()).
    op.drop_column('consultation', 'invitation_required')

    with op.batch_alter_table('invitation_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_code_consultation_id'))

    op.drop_table('invitation_code')
    with op.batch_alter_table('invitation_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_batch_consultation_id'))

    op.drop_table('invitation_batch')
