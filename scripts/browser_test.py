"""The real-browser test of `zoo serve` (run it through scripts/browser-test, which installs what it needs).

Starts `zoo serve --port 0` on loopback, drives Debian's chromium headless through Selenium, and checks what a
person sees: a 7 drawn with mouse strokes reads as 7 with six families' bars, on a desktop-sized and a
phone-sized window; undo, clear and keyboard drawing; a PNG through the file picker; then SIGTERM with a request
in flight, which must still be answered before the server exits with status 0. The server is stopped also when
a check fails. Screenshots go to the output folder.
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback

os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for drivers online

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


class Server:
    """`zoo serve` on a free loopback port; its address is read from the line it prints when listening."""

    def __init__(self, zoo, models):
        self.process = subprocess.Popen([zoo, "serve", "--host", "127.0.0.1", "--port", "0", "--models", models],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines = []
        found = threading.Event()

        def read():
            for line in self.process.stderr:
                self.lines.append(line.rstrip())
                if "listening on http://" in line:
                    found.set()
        threading.Thread(target=read, daemon=True).start()
        if not found.wait(60):
            self.stop()
            raise RuntimeError("zoo serve did not start: " + " | ".join(self.lines))
        match = re.search(r"http://([0-9.]+):(\d+)/", next(l for l in self.lines if "listening on" in l))
        self.host, self.port = match.group(1), int(match.group(2))
        self.url = f"http://{self.host}:{self.port}/"

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


class Checks:
    def __init__(self):
        self.passed, self.failed = 0, 0

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"ok    {name}")
        else:
            self.failed += 1
            print(f"FAIL  {name} {detail}")


def browser(width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--force-device-scale-factor=1"]:
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def draw_seven(driver, pad):
    """One stroke, as a person draws a 7: the bar left to right, then the stem down and to the left."""
    size = pad.size["width"]
    points = [(-0.30, -0.30), (0.30, -0.30), (-0.05, 0.36)]
    points = [(x * size, y * size) for x, y in points]
    actions = ActionChains(driver, duration=10)
    actions.move_to_element_with_offset(pad, int(points[0][0]), int(points[0][1])).click_and_hold()
    position = points[0]
    for target in points[1:]:
        for step in range(1, 13):
            x = position[0] + (target[0] - position[0]) * step / 12
            y = position[1] + (target[1] - position[1]) * step / 12
            actions.move_to_element_with_offset(pad, int(x), int(y))
        position = target
    actions.release().perform()


def save_full_page(driver, path):
    """A screenshot of the whole page, beyond the window's height (what a person sees by scrolling)."""
    import base64
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    with open(path, "wb") as file:
        file.write(base64.b64decode(shot["data"]))


def results(driver):
    return driver.execute_script("""
        return { vote: document.getElementById('vote').textContent,
                 bars: [...document.querySelectorAll('#bars li.bar')].map(b => b.dataset.model + ':' + b.dataset.digit),
                 links: document.querySelectorAll('#bars li.bar a').length,
                 status: document.getElementById('status').textContent };""")


def wait_for(driver, condition, seconds=15):
    try:
        WebDriverWait(driver, seconds, poll_frequency=0.1).until(lambda d: condition(results(d)))
        return True
    except Exception:
        return False


def page_checks(server, output, checks):
    driver = browser(1280, 900)
    try:
        driver.get(server.url)
        pad = driver.find_element(By.ID, "pad")
        draw_seven(driver, pad)
        shown = wait_for(driver, lambda r: r["vote"] == "7" and len(r["bars"]) == 6 and r["links"] == 6)
        state = results(driver)
        driver.save_screenshot(os.path.join(output, "serve-desktop.png"))
        checks.check("desktop: a drawn 7 shows 7 and six families' bars with card links", shown, state)
        checks.check("desktop: the six families", sorted(b.split(":")[0] for b in state["bars"])
                     == sorted(["tree", "linear", "perceptron", "logistic", "mlp", "inception"]), state["bars"])
        seen_ink = driver.execute_script("""
            const d = document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data;
            let ink = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 128) ink++; return ink;""")
        checks.check("desktop: the 28x28 image the models see is drawn", 30 < seen_ink < 400, seen_ink)
        with open(os.path.join(output, "drawn-seven.png"), "wb") as file:
            file.write(pad.screenshot_as_png)

        driver.set_window_size(390, 844)
        time.sleep(0.5)
        overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        pad_width = driver.execute_script("return document.getElementById('pad').getBoundingClientRect().width")
        save_full_page(driver, os.path.join(output, "serve-phone.png"))
        bottom, height = driver.execute_script(
            "return [document.querySelector('#bars li.bar:last-child').getBoundingClientRect().bottom,"
            " window.innerHeight]")
        checks.check("phone: the pad and every bar fit on one screen", bottom <= height,
                     f"last bar ends at {bottom}px, window {height}px")
        checks.check("phone: nothing wider than the window", overflow <= 0, f"overflow {overflow}px")
        checks.check("phone: the pad is large enough to draw on", pad_width > 250, pad_width)
        driver.set_window_size(1280, 900)

        driver.find_element(By.ID, "undo").click()
        checks.check("undo: the only stroke gone, results cleared",
                     wait_for(driver, lambda r: not r["bars"] and r["vote"] == "\u2013"), results(driver))

        pad.send_keys(Keys.SPACE + Keys.ARROW_RIGHT * 8 + Keys.ARROW_DOWN * 2 + Keys.ARROW_LEFT * 3
                      + Keys.ARROW_DOWN * 8 + Keys.SPACE)
        checks.check("keyboard: space and arrows draw and classify",
                     wait_for(driver, lambda r: len(r["bars"]) == 6), results(driver))
        pad.send_keys(Keys.ESCAPE)
        checks.check("keyboard: Escape clears", wait_for(driver, lambda r: not r["bars"]), results(driver))
        tabbed = []
        body = driver.find_element(By.TAG_NAME, "body")
        body.click()
        for _ in range(4):
            ActionChains(driver).send_keys(Keys.TAB).perform()
            tabbed.append(driver.execute_script("return document.activeElement.id"))
        checks.check("keyboard: Tab reaches the pad, undo, clear and the file picker",
                     tabbed == ["pad", "undo", "clear", "file"], tabbed)

        driver.find_element(By.ID, "file").send_keys(os.path.abspath(os.path.join(output, "drawn-seven.png")))
        checks.check("file picker: the saved drawing reads as 7",
                     wait_for(driver, lambda r: r["vote"] == "7" and len(r["bars"]) == 6), results(driver))
        driver.save_screenshot(os.path.join(output, "serve-file.png"))
    finally:
        driver.quit()


def shutdown_check(server, output, checks):
    """SIGTERM while a request's body is half sent: the request is answered, then the server exits 0."""
    with open(os.path.join(output, "drawn-seven.png"), "rb") as file:
        png = file.read()
    connection = socket.create_connection((server.host, server.port), timeout=20)
    head = (f"POST /api/classify HTTP/1.1\r\nHost: {server.host}\r\nContent-Type: image/png\r\n"
            f"Content-Length: {len(png)}\r\n\r\n").encode()
    connection.sendall(head + png[: len(png) // 2])
    time.sleep(0.5)
    server.process.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    connection.sendall(png[len(png) // 2:])
    answer = b""
    while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < 20:
        chunk = connection.recv(65536)
        if not chunk:
            break
        answer += chunk
    connection.close()
    status = answer.split(b"\r\n", 1)[0].decode(errors="replace")
    checks.check("SIGTERM: the request in flight is answered", status.startswith("HTTP/1.1 200"), status)
    try:
        code = server.process.wait(15)
    except subprocess.TimeoutExpired:
        code = None
    checks.check("SIGTERM: the server exits with status 0", code == 0, f"exit {code}: {server.lines[-3:]}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--zoo", required=True)
    parser.add_argument("--models", required=True)
    parser.add_argument("--output", required=True)
    arguments = parser.parse_args()
    checks = Checks()
    server = Server(arguments.zoo, arguments.models)
    print(f"zoo serve at {server.url}")
    try:
        page_checks(server, arguments.output, checks)
        shutdown_check(server, arguments.output, checks)
    except Exception:
        traceback.print_exc()
        checks.failed += 1
    finally:
        server.stop()
    print(f"screenshots in {arguments.output}/")
    print(f"browser-test: {checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
