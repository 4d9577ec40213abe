"""The migrations build exactly the schema the models describe (on whichever database the suite runs)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from pingan.core.db import Base, get_engine


def test_models_and_migrations_agree():
    with get_engine().connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == [], f"models differ from migrations; generate a migration: {diff}"
