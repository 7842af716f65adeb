"""With REDIS_URL set, rate limits are counted in Redis, shared by every app server."""

import pytest
from redis import Redis

from audit_app import create_app
from audit_app.extensions import db

from ..conftest import config_for
from ..support.client import CheckedClient, soup
from ..support.redis_server import RedisServer


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer()
    yield server
    server.stop()


def app_counting_in(database, tmp_path, storage_uri: str):
    app = create_app(
        {
            **config_for(database.url, tmp_path),
            "RATELIMIT_STORAGE_URI": storage_uri,
            "RATE_LIMIT_PER_ACCOUNT": "2 per 15 minutes",
        }
    )
    app.test_client_class = CheckedClient
    return app


def attempt(client):
    return client.submit("/sign-in", {"email": "someone@example.org", "password": "guess"})


def test_attempts_are_counted_in_redis_without_the_email_address(app, database, tmp_path, redis_server):
    counting_app = app_counting_in(database, tmp_path, redis_server.url)
    with counting_app.app_context():
        client = counting_app.test_client()
        assert [attempt(client).status_code for _ in range(3)] == [200, 200, 429]
        db.session.remove()
        db.engine.dispose()
    with Redis.from_url(redis_server.url) as redis:
        keys = [key.decode() for key in redis.keys("*")]
    assert keys, "the counts are in Redis"
    assert not any("someone" in key for key in keys)


def test_sign_in_still_works_when_redis_cannot_be_reached(app, database, tmp_path):
    counting_app = app_counting_in(database, tmp_path, "redis://127.0.0.1:1/0")
    with counting_app.app_context():
        client = counting_app.test_client()
        responses = [attempt(client) for _ in range(3)]
        db.session.remove()
        db.engine.dispose()
    assert [r.status_code for r in responses] == [200, 200, 429]  # counted in memory meanwhile
    assert "Enter a correct email address and password" in soup(responses[0]).get_text()
