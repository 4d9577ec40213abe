"""Alembic environment: the database URL comes from Pingan's settings, the tables from its models."""

from contextlib import nullcontext

from alembic import context

from pingan.core.db import Base, get_engine
from pingan.models import load_all_models

load_all_models()
target_metadata = Base.metadata


def run_migrations_online() -> None:
    given = context.config.attributes.get("connection")
    with nullcontext(given) if given is not None else get_engine().connect() as conn:
        context.configure(
            connection=conn,
            target_metadata=target_metadata,
            render_as_batch=conn.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
