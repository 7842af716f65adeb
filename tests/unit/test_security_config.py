import pytest

from audit_app.config import ConfigurationError, config_from_env


def test_session_and_lockout_limits_have_safe_defaults(tmp_path):
    config = config_from_env({}, tmp_path)
    assert config["SESSION_IDLE_MINUTES"] == 30
    assert config["SESSION_HOURS"] == 12
    assert config["SIGN_IN_LOCKOUT_ATTEMPTS"] == 5
    assert config["SIGN_IN_LOCKOUT_MINUTES"] == 15
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["TRUSTED_PROXIES"] == 0
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_rate_limits_are_counted_in_redis_when_there_is_one(tmp_path):
    config = config_from_env({"REDIS_URL": "redis://127.0.0.1:6379/2"}, tmp_path)
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/2"


def test_the_limits_can_be_changed(tmp_path):
    config = config_from_env(
        {
            "SESSION_IDLE_MINUTES": "15",
            "SESSION_HOURS": "8",
            "RATE_LIMIT_PER_ADDRESS": "200/hour",
            "RATE_LIMIT_PER_ACCOUNT": "5/10minutes",
        },
        tmp_path,
    )
    assert config["SESSION_IDLE_MINUTES"] == 15
    assert config["SESSION_HOURS"] == 8
    assert config["PERMANENT_SESSION_LIFETIME"] == 8 * 3600
    assert config["RATE_LIMIT_PER_ADDRESS"] == "200/hour"
    assert config["RATE_LIMIT_PER_ACCOUNT"] == "5/10minutes"


def test_a_rate_limit_that_cannot_be_read_is_named(tmp_path):
    with pytest.raises(
        ConfigurationError, match="RATE_LIMIT_PER_ACCOUNT must be a rate such as 10/15minutes"
    ):
        config_from_env({"RATE_LIMIT_PER_ACCOUNT": "lots"}, tmp_path)
