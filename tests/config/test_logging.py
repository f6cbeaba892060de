"""Logs never carry a full phone number, a verification code or a URL secret."""

import json
import logging

import pytest

from config.logfilters import MaskPersonalData, mask


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("SMS to +989123456789 queued", "+989123456789"),
        ("mobile 09123456789 registered", "09123456789"),
        ("mobile ۰۹۱۲۳۴۵۶۷۸۹ registered", "۰۹۱۲۳۴۵۶۷۸۹"),
        ("from=989123456789&to=30001152", "989123456789"),
        ("your code: 482913", "482913"),
        ("GET /sms/kavenegar/inbound/the-webhook-secret/?from=x", "the-webhook-secret"),
        ("GET /s/AbC.signed-token_123/ 302", "AbC.signed-token_123"),
    ],
)
def test_personal_data_is_masked(text, hidden):
    assert hidden not in mask(text)


def test_a_masked_mobile_keeps_enough_to_tell_numbers_apart():
    assert mask("to +989123456789") == "to +98912*****89"


@pytest.mark.parametrize(
    "text",
    [
        "sent 42 messages to line 30001152",
        "at 2026-11-29 06:25:50.123456",
        "task 25c92a16-eb3d-48fe-8229-fcf123456c75 succeeded",
    ],
)
def test_ordinary_numbers_and_ids_are_left_alone(text):
    assert mask(text) == text


def test_the_filter_masks_arguments_of_any_log_call(caplog):
    logger = logging.getLogger("tests.masking")
    logger.addFilter(MaskPersonalData())
    with caplog.at_level(logging.INFO, logger="tests.masking"):
        logger.info("code %s sent to %s", "123456", "09123456789")
    assert caplog.records[0].getMessage() == "code ****** sent to 0912*****89"


def test_production_logs_are_json_lines():
    from django.conf import settings

    from pythonjsonlogger.json import JsonFormatter

    config = settings.LOGGING["formatters"]["json"]
    assert config["()"] == "pythonjsonlogger.json.JsonFormatter"
    formatter = JsonFormatter(config["fmt"], rename_fields=config["rename_fields"])
    record = logging.LogRecord("registrations", logging.INFO, __file__, 1, "saved", (), None)
    line = json.loads(formatter.format(record))
    assert {key: line[key] for key in ("level", "logger", "message")} == {
        "level": "INFO",
        "logger": "registrations",
        "message": "saved",
    }
    assert "time" in line


def test_every_log_handler_masks_personal_data():
    from django.conf import settings

    for handler in settings.LOGGING["handlers"].values():
        assert "mask_personal" in handler.get("filters", [])
