"""audit trail is append-only: the database refuses updates and deletes

Revision ID: 5c1d2e3f4a5b
Revises: 4b9e5662dde0
Create Date: 2026-11-21 14:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '5c1d2e3f4a5b'
down_revision = '4b9e5662dde0'
branch_labels = None
depends_on = None

MESSAGE = "the audit trail is append-only: entries cannot be changed or deleted"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION audit_log_entry_refuse_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_log_entry_append_only BEFORE UPDATE OR DELETE ON audit_log_entry"
            " FOR EACH ROW EXECUTE FUNCTION audit_log_entry_refuse_change()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_entry_no_{event.lower()} BEFORE {event} ON audit_log_entry"
                f" BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_entry_append_only ON audit_log_entry")
        op.execute("DROP FUNCTION audit_log_entry_refuse_change()")
    else:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER audit_log_entry_no_{event}")
