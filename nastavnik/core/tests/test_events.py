import pytest
from django.db import transaction

from nastavnik.core import events


@pytest.fixture
def heard():
    calls: list[tuple[str, dict]] = []

    def listener(event, **context):
        calls.append((event, context))

    events.subscribe("test.happened", listener)
    yield calls
    events.unsubscribe("test.happened", listener)


@pytest.mark.django_db(transaction=True)
def test_delivered_after_commit_only(heard):
    with transaction.atomic():
        events.emit("test.happened", thing=1)
        assert heard == []
    assert heard == [("test.happened", {"thing": 1})]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_tells_nobody(heard):
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit("test.happened", thing=2)
        raise RuntimeError
    assert heard == []


@pytest.mark.django_db(transaction=True)
def test_failing_listener_does_not_stop_the_others(heard, caplog):
    def broken(event, **context):
        raise ValueError("boom")

    events.subscribe("test.happened", broken)
    try:
        events.emit("test.happened", thing=3)
    finally:
        events.unsubscribe("test.happened", broken)
    assert heard == [("test.happened", {"thing": 3})]
    assert "failed" in caplog.text


def test_subscribing_twice_delivers_once(heard):
    listener = events.listeners("test.happened")[0]
    events.subscribe("test.happened", listener)
    assert events.listeners("test.happened").count(listener) == 1
