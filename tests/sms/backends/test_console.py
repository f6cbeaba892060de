import io

from sms.backends.console import ConsoleBackend


def test_send_prints_receiver_text_and_parts():
    stream = io.StringIO()
    result = ConsoleBackend(stream=stream).send(
        to="09121234567", text="ثبت نام شما انجام شد", idempotency_key=3
    )
    printed = stream.getvalue()
    assert "+989121234567" in printed
    assert "ثبت نام شما انجام شد" in printed
    assert "1 part(s), UCS-2" in printed
    assert result.status == "sent"
    assert result.message_id in printed


def test_send_goes_to_stdout_by_default(capsys):
    ConsoleBackend().send(to="+989121234567", text="hello", idempotency_key=1)
    assert "hello" in capsys.readouterr().out


def test_same_key_prints_once():
    stream = io.StringIO()
    backend = ConsoleBackend(stream=stream)
    first = backend.send(to="+989121234567", text="hello", idempotency_key=1)
    assert backend.send(to="+989121234567", text="hello", idempotency_key=1) == first
    assert stream.getvalue().count("hello") == 1


def test_reports_know_only_its_own_messages():
    backend = ConsoleBackend(stream=io.StringIO())
    sent = backend.send(to="+989121234567", text="hello", idempotency_key=1).message_id
    assert [r.status for r in backend.fetch_reports([sent, "other"])] == ["delivered", "unknown"]
