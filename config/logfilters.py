"""Keep personal data out of logs: phone numbers, verification codes and secret URL parts.

Attached to every log handler (web, workers, gunicorn), so a message that mentions a mobile
or a code by mistake is masked before it is written, whatever logged it.
"""

import logging
import re


# \d matches Persian and Arabic-Indic digits too.
_MOBILE = re.compile(r"(?<!\d)(?:\+?(?:98|۹۸|٩٨)|0098|[0۰٠])?[9۹٩]\d{9}(?!\d)")
_CODE = re.compile(r"(?<![\w.])\d{6}(?!\w)")  # not in ids, hashes or timestamps
# Webhook secrets and signed SMS-link tokens travel in URL paths.
_SECRET_PATH = re.compile(r"(/sms/[^/\s]+/(?:inbound|status)/|/s/)[^/\s?]+")


def mask(text: str) -> str:
    text = _SECRET_PATH.sub(r"\1***", text)
    text = _MOBILE.sub(lambda m: f"{m[0][:-7]}*****{m[0][-2:]}", text)
    return _CODE.sub("******", text)


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
