"""An autosave the server never acknowledged must not look saved."""

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.register.helpers import make_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize("failure", ["network", "server"])
def test_a_failed_autosave_says_not_saved_and_marks_the_cell(
    page, live_server, shipped_framework, failure
):
    user = UserFactory()
    make_profile(user)
    _signed_in(page, live_server, user)
    page.goto("/assessment/")
    page.get_by_role("button", name="Start my self-assessment").click()
    page.goto("/assessment/domains/1/")

    def refuse(route):
        if failure == "network":
            route.abort()
        else:
            route.fulfill(status=500, body="Server error")

    page.route("**/assessment/ratings/**", refuse)
    page.problems.clear()
    first = page.locator(".rating-form").first
    first.get_by_label("Achieved").check()

    status = page.locator("#save-status")
    status.get_by_text("Not saved").wait_for()
    assert "choose it again to retry" in status.inner_text()
    assert "rating-not-saved" in (first.get_attribute("class") or "")

    # The connection is back: choosing again saves, and the warning goes.
    page.unroute("**/assessment/ratings/**")
    first.get_by_label("Working towards").check()
    status.get_by_text("Saved").wait_for()
    assert "rating-not-saved" not in (first.get_attribute("class") or "")
