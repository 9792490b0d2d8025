import pytest
from django.db import IntegrityError, connection, transaction

from imhcf.bulk_load import foreign_keys_checked_at_end, ids_reserve, rows_insert
from imhcf.models import Statement
from selfassess.models import Assessment, Rating


def _foreign_keys(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = %s::regclass ORDER BY 1",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's constraints")
@pytest.mark.django_db
def test_a_load_with_foreign_keys_off_puts_them_back_and_checks_every_row(shipped_framework):
    before = _foreign_keys("selfassess_rating")
    assert len(before) == 2
    statement = Statement.objects.filter(competency__domain__version=shipped_framework).first()
    (missing,) = ids_reserve(Assessment, 1)  # a key no assessment will ever have
    with pytest.raises(IntegrityError), transaction.atomic(), foreign_keys_checked_at_end(Rating):
        assert _foreign_keys("selfassess_rating") == []
        rows_insert(
            Rating,
            ("assessment_id", "statement_id", "value"),
            [(missing, statement.pk, "achieved")],
        )
    assert _foreign_keys("selfassess_rating") == before
    assert not Rating.objects.exists()
