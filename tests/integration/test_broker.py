"""config.broker's Redis transport against a real Redis: one client per pool, acks_late intact."""

import pytest
from kombu import Connection

from . import stack


@pytest.fixture
def redis_url(services_available, tmp_path):
    server = stack.RedisServer(tmp_path).start()
    yield server.url(0)
    server.process.stop()


def connect(url: str) -> Connection:
    return Connection(url, transport="config.broker:Transport")


def test_a_channel_reuses_one_client_until_its_pool_is_replaced(redis_url):
    with connect(redis_url) as connection:
        channel = connection.default_channel
        with channel.conn_or_acquire() as first, channel.conn_or_acquire() as second:
            assert first is second
            assert first.ping()
        channel._disconnect_pools()  # what the channel does when its connection breaks
        with channel.conn_or_acquire() as third:
            assert third is not first
            assert third.connection_pool is channel.pool
            assert third.ping()


def test_an_unacknowledged_message_is_given_back_and_an_acknowledged_one_is_gone(redis_url):
    with connect(redis_url) as connection:
        queue = connection.SimpleQueue("sms")
        queue.put({"id": 1})
        queue.put({"id": 2})
        first = queue.get(timeout=5)
        first.ack()
        second = queue.get(timeout=5)  # reserved, never acknowledged: a worker that died
        assert (first.payload, second.payload) == ({"id": 1}, {"id": 2})
        with connection.default_channel.conn_or_acquire() as client:
            assert client.hlen("unacked") == 1
        queue.close()

    with connect(redis_url) as connection:
        queue = connection.SimpleQueue("sms")
        again = queue.get(timeout=5)
        assert again.payload == {"id": 2}
        again.ack()
        with connection.default_channel.conn_or_acquire() as client:
            assert (client.llen("sms"), client.hlen("unacked")) == (0, 0)
        queue.close()
