"""audit trail refuses TRUNCATE too, which the row triggers do not see

Revision ID: 7e3f4a5b6c7d
Revises: 6d2e3f4a5b6c
Create Date: 2026-11-21 21:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '7e3f4a5b6c7d'
down_revision = '6d2e3f4a5b6c'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite has no TRUNCATE: its DELETE trigger already covers emptying the table.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_log_entry_no_truncate BEFORE TRUNCATE ON audit_log_entry"
            " FOR EACH STATEMENT EXECUTE FUNCTION audit_log_entry_refuse_change()"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_entry_no_truncate ON audit_log_entry")
