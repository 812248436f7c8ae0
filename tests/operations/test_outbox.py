"""E-mails go through the outbox: retried with backoff when the mail server fails, failed after the
last try with the error kept for staff, sent once however often a task runs."""

from __future__ import annotations

import datetime as dt
import smtplib
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from meute.outbox.models import Message, MessageStatus
from meute.outbox.services import mail_send, messages_retry_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Any, messages: Any) -> int:
        raise smtplib.SMTPConnectError(421, "mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)


def test_a_message_is_recorded_and_sent_at_once() -> None:
    assert mail_send(to="a@example.org", subject="Bonjour", body="Texte", html="<p>Texte</p>") == 1
    message = Message.objects.get()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1
    assert mail.outbox[0].to == ["a@example.org"]
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_a_key_makes_a_task_run_twice_send_once() -> None:
    assert mail_send(to="a@example.org", subject="S", body="B", key="reminder:1") == 1
    assert mail_send(to="a@example.org", subject="S", body="B", key="reminder:1") == 0
    assert len(mail.outbox) == 1
    assert Message.objects.count() == 1


def test_no_address_sends_nothing() -> None:
    assert mail_send(to="", subject="S", body="B") == 0
    assert not Message.objects.exists()


def test_smtp_down_keeps_the_message_pending_with_its_error_and_a_backoff(
    smtp_down: None, settings: Any
) -> None:
    settings.MEUTE_MAIL_RETRY_SECONDS = 60
    before = timezone.now()
    assert mail_send(to="a@example.org", subject="S", body="B") == 1
    message = Message.objects.get()
    assert message.status == MessageStatus.PENDING
    assert message.attempts == 1
    assert "mail server down" in message.last_error
    assert message.next_attempt_at is not None
    assert dt.timedelta(seconds=59) <= message.next_attempt_at - before <= dt.timedelta(seconds=65)


def test_the_wait_doubles_at_each_try_and_the_last_try_records_the_failure(
    smtp_down: None, settings: Any
) -> None:
    settings.MEUTE_MAIL_RETRY_SECONDS = 60
    settings.MEUTE_MAIL_MAX_ATTEMPTS = 4
    mail_send(to="a@example.org", subject="S", body="B")
    message = Message.objects.get()
    waits = []
    for _ in range(3):
        assert message.next_attempt_at is not None
        now = message.next_attempt_at
        # not due a second before its time
        assert messages_retry_due(now=now - dt.timedelta(seconds=1)) == 0
        assert messages_retry_due(now=now) == 1
        message.refresh_from_db()
        if message.next_attempt_at is not None:
            waits.append((message.next_attempt_at - now).total_seconds())
    assert waits == [120.0, 240.0]
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 4
    assert "SMTPConnectError" in message.last_error


def test_a_message_pending_while_smtp_was_down_leaves_once_it_is_back(
    monkeypatch: pytest.MonkeyPatch, smtp_down: None
) -> None:
    mail_send(to="a@example.org", subject="S", body="B")
    monkeypatch.undo()  # the mail server is back
    message = Message.objects.get()
    assert message.next_attempt_at is not None
    assert messages_retry_due(now=message.next_attempt_at) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1


def test_failed_messages_are_listed_for_staff_in_the_admin(
    smtp_down: None, settings: Any, client: Client
) -> None:
    from tests.factories import UserFactory

    settings.MEUTE_MAIL_MAX_ATTEMPTS = 1
    mail_send(to="perdu@example.org", subject="Inscription confirmée", body="B")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/outbox/message/?status__exact=failed")
    assert page.status_code == 200
    assert "perdu@example.org" in page.content.decode()


def test_registering_with_smtp_down_tells_the_sending_is_under_way_and_keeps_the_e_mail(
    smtp_down: None, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from meute.events.models import Audience, Event, EventKind, Registration, RegistrationStatus
    from tests.factories import PersonFactory, UserFactory

    start = timezone.now() + dt.timedelta(days=3)
    event = Event.objects.create(
        title="Dîner",
        kind=EventKind.EVENING,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        audience=Audience.PUBLIC,
        capacity=10,
    )
    user = UserFactory(email="inscrite@example.org")
    PersonFactory(user=user, email=user.email)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/evenements/{event.pk}/inscription/", follow=True)
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED
    assert (
        "en cours d&#x27;envoi" in response.content.decode()
        or "en cours d'envoi" in response.content.decode()
    )
    message = Message.objects.get(to="inscrite@example.org")
    assert message.status == MessageStatus.PENDING
