"""Two tabs saving the same rating: the conditional update lets exactly one win."""

import threading

import pytest
from django.db import connection

from selfassess import services
from selfassess.errors import StaleRatingError
from selfassess.models import Rating
from tests.realservices import require_postgresql
from tests.selfassess.conftest import rating_for


def test_second_save_from_the_same_revision_is_refused_with_the_current_value(assessment):
    rating = rating_for(assessment, "2.01", 2)
    services.rating_save(rating=rating, value="achieved", note="tab one", revision=0)
    stale_copy = rating_for(assessment, "2.01", 2)
    with pytest.raises(StaleRatingError) as refused:
        services.rating_save(rating=stale_copy, value="working_towards", note="tab two", revision=0)
    assert refused.value.current.value == "achieved"
    assert refused.value.current.note == "tab one"
    assert refused.value.attempted_value == "working_towards"
    assert refused.value.attempted_note == "tab two"
    assert "Achieved" in str(refused.value)
    current = Rating.objects.get(pk=rating.pk)
    assert (current.value, current.revision) == ("achieved", 1)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_of_one_revision_exactly_one_wins(practitioner):
    require_postgresql()
    from tests.factories import build_framework
    from tests.selfassess.conftest import make_profile

    build_framework(domains=1, competencies_per_domain=1)
    make_profile(practitioner)
    assessment = services.assessment_start(user=practitioner)
    rating_id = rating_for(assessment, "1.01", 1).pk

    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def save(value: str) -> None:
        try:
            rating = Rating.objects.get(pk=rating_id)
            barrier.wait()
            services.rating_save(rating=rating, value=value, note=value, revision=0)
            outcomes.append("saved")
        except StaleRatingError:
            outcomes.append("refused")
        except BaseException as exc:  # surfaced below: a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(v,)) for v in ("achieved", "working_towards")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    assert sorted(outcomes) == ["refused", "saved"]
    final = Rating.objects.get(pk=rating_id)
    assert final.revision == 1
    assert final.note == final.value
