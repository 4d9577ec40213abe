import pytest
import sqlalchemy

from pingan.core.db import make_engine


def test_a_database_error_names_the_statement_but_not_the_values():
    # ID numbers and phones in a failed write must not reach the logs through the error's text.
    engine = make_engine("sqlite://")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, id_number TEXT)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1, '331003200004038026')")
    with pytest.raises(sqlalchemy.exc.IntegrityError) as failed, engine.begin() as conn:
        conn.execute(sqlalchemy.text("INSERT INTO t VALUES (:id, :n)"), {"id": 1, "n": "331003200004038026"})
    assert "INSERT INTO t" in str(failed.value)
    assert "331003200004038026" not in str(failed.value)
