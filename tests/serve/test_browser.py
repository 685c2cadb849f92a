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

from stance.doc import Document, Sentence
from stance.io.html import ROLE_FR, STANCE_FR, sentence_view
from stance.serve.app import create_app
from tests.serve.test_app import BYLINE, DEMO_TARGET, DEMO_TEXT, EXAMPLE, TARGET, FakePipeline

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).parent / "artifacts"
GREY = "rgba(107, 114, 128, 1)"  # --muted-ink of style.css: boilerplate sentences
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


def _highlighted(doc: Document, sent: Sentence) -> list[str]:
    """What an argument sentence highlights: its parts covered by spans, else all of it."""
    parts = [
        doc.text[max(sp.start, sent.start) : min(sp.end, sent.end)]
        for sp in doc.spans
        if sp.start < sent.end and sp.end > sent.start
    ]
    return parts or [sent.text]


def check_page_shows(driver: WebDriver, expected: Document) -> None:
    """The page shows ``expected`` as ``sentence_view`` decides: numbers from 1, highlights
    in the colour of the role tag, pills only where there is a stance, boilerplate greyed."""
    result = driver.find_element(By.ID, "result")
    rows = result.find_elements(By.CSS_SELECTOR, ".sentences > li")
    assert len(rows) == len(expected.sentences)
    for row, sent in zip(rows, expected.sentences, strict=True):
        view = sentence_view(sent)
        assert row.find_element(By.CSS_SELECTOR, ".sent-num").text == str(sent.index + 1)
        assert row.get_attribute("id").endswith(f"-s{sent.index + 1}")
        tag = row.find_element(By.CSS_SELECTOR, ".role-tag")
        assert tag.text in (ROLE_FR[view.role], "Thèse principale")
        marks = row.find_elements(By.CSS_SELECTOR, "mark.arg")
        assert {m.get_attribute("class") for m in marks} <= {f"arg arg-{view.role}"}
        want = [t.strip() for t in _highlighted(expected, sent)] if view.highlighted else []
        assert [m.text for m in marks] == want, sent.text
        badges = row.find_elements(By.CSS_SELECTOR, ".badge")
        assert [b.text for b in badges] == ([STANCE_FR[view.pill]] if view.pill else [])
        assert all(b.get_attribute("title") for b in badges)  # scores on hover
        colour = row.find_element(By.CSS_SELECTOR, ".sent-text").value_of_css_property("color")
        assert (colour == GREY) == view.muted, (sent.text, colour)
    verdict = result.find_elements(By.CSS_SELECTOR, ".verdict .badge-lg")
    if expected.stance is None:
        assert verdict == []
    else:
        assert [v.text for v in verdict] == [STANCE_FR[expected.stance.label]]
        assert "Verdict de l’article" in result.find_element(By.CSS_SELECTOR, ".verdict").text


def run_page_check(
    driver: WebDriver, factory: Callable[[], Any], shot: str, timeout: float = 20
) -> None:
    """The whole scenario, shared with the real-model variant: with then without a target."""
    nlp = factory()
    with live_server(create_app(lambda: nlp)) as url:
        analyse_in_page(driver, url, BYLINE + EXAMPLE, TARGET, timeout)
        check_page_shows(driver, nlp(BYLINE + EXAMPLE, target=TARGET))
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
        assert status.text.startswith("Texte trop long") and "limit of 50" in status.text
        assert browser.find_elements(By.CSS_SELECTOR, "#result article") == []


@pytest.mark.slow
def test_demo_text_comes_out_right_with_shipped_model(browser: WebDriver) -> None:
    """The prefilled demo, analysed by the shipped model: « Pour » everywhere it says so."""
    import stance

    nlp = stance.load()
    with live_server(create_app(lambda: nlp)) as url:
        browser.get(url + "/")
        assert browser.find_element(By.ID, "text").get_attribute("value") == DEMO_TEXT
        assert browser.find_element(By.ID, "target").get_attribute("value") == DEMO_TARGET
        browser.find_element(By.ID, "submit").click()
        WebDriverWait(browser, 120).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "#result article")
        )
        doc = nlp(DEMO_TEXT, target=DEMO_TARGET)
        check_page_shows(browser, doc)
        screenshot(browser, "page-demo.png")
    assert doc.stance is not None and doc.stance.label == "favor"
    pills = [sentence_view(s).pill for s in doc.sentences]
    assert "against" not in pills and pills.count("favor") >= 4, pills
