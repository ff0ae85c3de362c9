"""Take the README screenshots from a running demo.

python scripts/screenshots.py URL USER PASSWORD
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main(base: str, username: str, password: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1360, "height": 900})
        page.goto(f"{base}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state("networkidle")
        page.locator(".main-svg").first.wait_for()
        page.screenshot(path=OUT / "overview.png")
        slug = page.url.rstrip("/").split("/w/")[1].split("/")[0]
        page.goto(f"{base}/w/{slug}/mentions/?sentiment=negative")
        page.screenshot(path=OUT / "mentions.png")
        page.goto(f"{base}/w/{slug}/monitors/new/")
        query = '(awaria OR "nie działa" OR down) AND nordbank*'
        page.get_by_label("Query", exact=True).fill(query)
        page.get_by_test_id("preview-count").wait_for()
        page.screenshot(path=OUT / "monitor-editor.png")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
