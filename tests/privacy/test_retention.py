"""The retention job: inactive accounts erased, expired exports and old log-in records deleted."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from meute.accounts.models import User
from meute.privacy.models import DataExport
from meute.privacy.services import export_request, retention_purge

pytestmark = pytest.mark.django_db


def test_an_account_inactive_for_three_years_is_erased_but_not_a_president(
    member: User, manager: User
) -> None:
    later = timezone.now() + dt.timedelta(days=3 * 365 + 1)
    done = retention_purge(now=later)
    assert done["inactive_accounts"] == 1 and done["inactive_blocked"] == 1
    assert not User.objects.filter(pk=member.pk).exists()
    assert User.objects.filter(pk=manager.pk).exists()


def test_a_recent_log_in_keeps_the_account(member: User) -> None:
    member.last_login = timezone.now()
    member.save()
    assert retention_purge(now=timezone.now() + dt.timedelta(days=365))["inactive_accounts"] == 0


def test_exports_go_after_seven_days(member: User) -> None:
    export_request(user=member)
    assert retention_purge(now=timezone.now() + dt.timedelta(days=6))["exports"] == 0
    assert retention_purge(now=timezone.now() + dt.timedelta(days=8))["exports"] == 1
    assert not DataExport.objects.exists()


def test_the_command_counts_without_deleting_on_a_dry_run(member: User) -> None:
    out = StringIO()
    when = (timezone.now() + dt.timedelta(days=4 * 365)).isoformat()
    call_command("privacy_purge", "--dry-run", f"--now={when}", stdout=out)
    assert "inactive_accounts: 1" in out.getvalue()
    assert User.objects.filter(pk=member.pk).exists()
