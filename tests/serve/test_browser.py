"""The web page in a real headless Chromium, against a live uvicorn server.

Needs /usr/bin/chromium, /usr/bin/chromedriver and selenium (``scripts/install_browser.sh``).
Skipped only on a developer machine without Chromium; under CI (env ``CI`` set) it must run.
"""

from __future__ import annotations

import base64
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from stance.doc import Document
from stance.io.html import STANCE_FR
from stance.serve.app import create_app
from tests.serve.test_app import EXAMPLE, TARGET, FakePipeline

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
    "--hide-scrollbars",
    "--lang=fr-FR",
)

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("no /usr/bin/chromium (scripts/install_browser.sh)", allow_module_level=True)
if os.environ.get("CI"):
    from selenium import webdriver  # in CI a missing client is a failure, not a skip
else:
    webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a background thread; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    assert CHROMIUM.exists() and CHROMEDRIVER.exists(), "run scripts/install_browser.sh"
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def analyse_in_page(driver: WebDriver, url: str, text: str, target: str, timeout: float) -> None:
    """Fill the form, submit, and wait until the result (or an error) is shown."""
    driver.get(url + "/")
    area = driver.find_element(By.ID, "text")
    area.clear()
    area.send_keys(text)
    field = driver.find_element(By.ID, "target")
    field.clear()
    if target:
        field.send_keys(target)
    old = driver.find_elements(By.CSS_SELECTOR, "#result article")
    driver.find_element(By.ID, "submit").click()
    WebDriverWait(driver, timeout).until(
        lambda d: (
            d.find_elements(By.CSS_SELECTOR, "#result article") != old
            or "error" in (d.find_element(By.ID, "status").get_attribute("class") or "")
        )
    )
    status = driver.find_element(By.ID, "status")
    assert "error" not in (status.get_attribute("class") or ""), status.text


def screenshot(driver: WebDriver, name: str) -> Path:
    """A full-page PNG under tests/artifacts/, through the DevTools protocol."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    path = ARTIFACTS / name
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def check_page_shows(driver: WebDriver, expected: Document) -> None:
    """The page shows exactly the spans, stance badges and verdict of ``expected``."""
    result = driver.find_element(By.ID, "result")
    for label in ("claim", "premise"):
        marks = result.find_elements(By.CSS_SELECTOR, f".sentences mark.arg-{label}")
        want = [expected.text[s.start : s.end] for s in expected.spans if s.label == label]
        assert [m.text for m in marks] == want, label
    badges = result.find_elements(By.CSS_SELECTOR, ".sent .badge")
    assert [b.text for b in badges] == [
        STANCE_FR[s.stance] for s in expected.sentences if s.stance is not None
    ]
    assert all(b.get_attribute("title") for b in badges)  # scores on hover
    verdict = result.find_elements(By.CSS_SELECTOR, ".verdict .badge-lg")
    if expected.stance is None:
        assert verdict == []
    else:
        assert [v.text for v in verdict] == [STANCE_FR[expected.stance.label]]


def run_page_check(
    driver: WebDriver, factory: Callable[[], Any], shot: str, timeout: float = 20
) -> None:
    """The whole scenario, shared with the real-model variant: with then without a target."""
    nlp = factory()
    with live_server(create_app(lambda: nlp)) as url:
        analyse_in_page(driver, url, EXAMPLE, TARGET, timeout)
        check_page_shows(driver, nlp(EXAMPLE, target=TARGET))
        assert driver.find_element(By.ID, "json").is_displayed()
        screenshot(driver, shot)
        analyse_in_page(driver, url, EXAMPLE, "", timeout)
        check_page_shows(driver, nlp(EXAMPLE, target=None))


def test_page_end_to_end_with_fake_pipeline(browser: WebDriver) -> None:
    run_page_check(browser, FakePipeline, "page.png")
    assert (ARTIFACTS / "page.png").stat().st_size > 10_000


@pytest.mark.slow
def test_page_end_to_end_with_shipped_model(browser: WebDriver) -> None:
    import stance

    run_page_check(browser, lambda: stance.load(), "page-real-model.png", timeout=120)
    assert (ARTIFACTS / "page-real-model.png").stat().st_size > 10_000


def test_page_shows_server_errors(browser: WebDriver) -> None:
    with live_server(create_app(FakePipeline, max_chars=50)) as url:
        browser.get(url + "/")
        browser.find_element(By.ID, "submit").click()  # the prefilled example is > 50 chars
        status = browser.find_element(By.ID, "status")
        WebDriverWait(browser, 10).until(lambda _: "error" in (status.get_attribute("class") or ""))
        assert "limit of 50" in status.text
        assert browser.find_elements(By.CSS_SELECTOR, "#result article") == []
