"""A person logs in, sees their workspace, switches workspace and language, logs out."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from stormwatch.core.clock import SystemClock
from stormwatch.workspaces.service import create_workspace

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_wrong_password_is_refused_with_a_message(
    page: Any, live_server: Any, cast: Any, log_in: Any
) -> None:
    log_in("olga", "not-the-password")
    assert page.get_by_role("alert").inner_text() == "Wrong username or password. Try again."
    assert "/login/" in page.url


def test_an_owner_lands_on_the_overview_of_their_workspace(
    page: Any, cast: Any, log_in: Any
) -> None:
    log_in("olga")
    assert page.get_by_role("heading", level=1).inner_text() == "Nordbank · Overview"
    assert page.get_by_role("link", name="API tokens").is_visible()


def test_a_viewer_does_not_see_the_token_page_link(page: Any, cast: Any, log_in: Any) -> None:
    log_in("wiktor")
    assert page.get_by_role("heading", level=1).inner_text() == "Nordbank · Overview"
    assert page.get_by_role("link", name="API tokens").count() == 0


def test_the_switcher_moves_between_workspaces(page: Any, cast: Any, log_in: Any) -> None:
    create_workspace(name="Nordbank Kids", owner=cast.owner, now=SystemClock().now())
    log_in("olga")
    assert page.get_by_role("heading", name="Your workspaces").is_visible()
    page.get_by_role("link", name="Nordbank Kids").click()
    page.get_by_label("Workspace").select_option(label="Nordbank")
    page.wait_for_url("**/w/nordbank/")
    assert page.get_by_role("heading", level=1).inner_text() == "Nordbank · Overview"


def test_an_outsider_gets_not_found_for_another_workspace(
    page: Any, live_server: Any, cast: Any, log_in: Any
) -> None:
    log_in("oskar")
    response = page.goto(f"{live_server.url}/w/nordbank/mentions/")
    assert response is not None and response.status == 404


def test_the_interface_switches_to_polish_and_back(page: Any, cast: Any, log_in: Any) -> None:
    log_in("olga")
    page.get_by_label("Language").select_option("pl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nordbank · Przegląd")
    expect(page.get_by_role("link", name="Wzmianki")).to_be_visible()
    page.get_by_label("Język").select_option("en")
    expect(page.get_by_role("link", name="Mentions")).to_be_visible()


def test_logging_out_returns_to_the_login_page(page: Any, cast: Any, log_in: Any) -> None:
    log_in("olga")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/")
    assert page.get_by_role("heading", name="Log in to Stormwatch").is_visible()


def test_a_password_reset_email_carries_a_working_link(
    page: Any, live_server: Any, cast: Any, mailoutbox: Any
) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("olga@example.com")
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url("**/password-reset/sent/")
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password-reset/" in line)
    page.goto(link.strip().replace("http://testserver", live_server.url))
    page.get_by_label("New password").fill("a-brand-new-passphrase-42")
    page.get_by_label("Repeat it").fill("a-brand-new-passphrase-42")
    page.get_by_role("button", name="Save the password").click()
    page.wait_for_url("**/password-reset/done/")
    assert page.get_by_role("heading", name="Password changed").is_visible()
