"""Headless Chromium (Debian's package) driven by Playwright; no browser download needed.

Every page a test opens through `open_page` is watched: console errors, uncaught exceptions and
Content-Security-Policy violations are collected, and `assert_clean` fails the test on any of them.
`check_accessibility` runs axe-core (vendored from npm in tests/vendor/) on the current page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, ConsoleMessage, Page, expect

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Assertions wait as long as actions do: with two test workers, a step that sends e-mails, indexes and renders
# PDFs in the request (eager tasks) can take longer than Playwright's default 5 s.
expect.set_options(timeout=15_000)
DESKTOP = 1366
PHONE = 390
# Chromium reports a document answered with 4xx (a form's field errors, a 404 page the test asked for) as a
# console error; that is the page behaving as designed. A sub-resource answered with an error is a problem.
LOAD_FAILED = "Failed to load resource"

# Runs before any page script; Chromium also logs violations to the console, this adds the blocked URL.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@dataclass
class Problems:
    """What went wrong in the browser while a test ran."""

    page: Page
    items: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        document_status = message.text.startswith(LOAD_FAILED) and message.location.get("url") == self.page.url
        if message.type == "error" and not document_status:
            self.items.append(f"console: {message.text} ({message.location.get('url', '')})")

    def page_error(self, error: Exception) -> None:
        self.items.append(f"uncaught: {error}")


def watch(page: Page) -> Problems:
    problems = Problems(page)
    page.add_init_script(_CSP_LISTENER)
    page.on("console", problems.console)
    page.on("pageerror", problems.page_error)
    page.problems = problems  # type: ignore[attr-defined]
    return problems


def open_page(browser: Browser, width: int = DESKTOP, locale: str = "en-US") -> Page:
    """A new browser session (its own cookies) with one watched page."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale=locale, accept_downloads=True, device_scale_factor=1
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch(page)
    return page


def assert_clean(page: Page) -> None:
    """No console error, uncaught exception or CSP violation happened on this page so far."""
    problems: Problems = page.problems  # type: ignore[attr-defined]
    assert not problems.items, "\n".join(problems.items)


def check_accessibility(page: Page) -> None:
    """axe-core on the current page: no serious or critical violation (WCAG 2.1 A/AA rules)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # evaluated through the DevTools protocol: the page's CSP does not apply
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',"
        " 'wcag21aa']}})).violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not serious, f"{page.url}: " + json.dumps(serious, ensure_ascii=False, indent=1)


def screenshot(page: Page, name: str) -> None:
    """Save a full-page screenshot to test-artifacts/ so a person can look at it."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def screenshots(page: Page, name: str) -> None:
    """The current page at desktop and at phone width (`<name>-1366.png`, `<name>-390.png`), then back."""
    height = page.viewport_size["height"] if page.viewport_size else 900
    width = page.viewport_size["width"] if page.viewport_size else DESKTOP
    for target in (DESKTOP, PHONE):
        page.set_viewport_size({"width": target, "height": height})
        screenshot(page, f"{name}-{target}")
    page.set_viewport_size({"width": width, "height": height})


def sign_in(browser: Browser, base: str, email: str, password: str, width: int = DESKTOP) -> Page:
    """A new watched session, signed in through the English sign-in page."""
    page = open_page(browser, width=width)
    page.goto(base + "/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def check_page(page: Page, shot: str = "", *, accessibility: bool = True) -> None:
    """The page as it stands: loaded, clean so far (console, CSP), no serious accessibility violation; with
    `shot`, photographed at desktop and phone width. `accessibility=False` is for Wagtail's own admin pages,
    whose rich-text editor and tag field come without accessible names (Wagtail's markup, not ours)."""
    page.wait_for_load_state("networkidle")
    assert_clean(page)
    if accessibility:
        check_accessibility(page)
    if shot:
        screenshots(page, shot)
