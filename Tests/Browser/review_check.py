#!/usr/bin/env python3
"""Real-browser check of `lostdata review serve`: Debian's chromium + chromium-driver, driven by
selenium. Reviews four articles of the demo study with the keyboard only — confirm one, change
one's category (with an undo on the way), exclude one with a reason, correct one's image
counts — then stops the server and asserts through `lostdata review status --json` and
`lostdata table1 --format json`. Started by ReviewBrowserTests (XCTest); also runnable by hand:

    python3 Tests/Browser/review_check.py --lostdata .build/debug/lostdata --study DIR [--screenshots docs]

Exit 0 when every check holds; 1 with the failed check on stderr; 77 when something to run it
with is missing (the XCTest then skips).
"""
import argparse
import json
import os
import signal
import subprocess
import sys

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    print("selenium is not installed (python3 -m pip install selenium)", file=sys.stderr)
    sys.exit(77)

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"


def check(condition, message):
    if not condition:
        print("FAILED: " + message, file=sys.stderr)
        raise SystemExit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lostdata", required=True)
    ap.add_argument("--study", required=True)
    ap.add_argument("--screenshots", help="folder for review-queue.png, review-article.png, review-help.png, review-conflict.png")
    ap.add_argument("--with-hostile-article", action="store_true",
                    help="the study also holds doi:10.1000/evil, whose title is markup: check it is shown, not run")
    args = ap.parse_args()
    for tool in (CHROMIUM, DRIVER):
        if not os.access(tool, os.X_OK):
            print(f"{tool} is absent (apt-get install chromium chromium-driver)", file=sys.stderr)
            sys.exit(77)

    server = subprocess.Popen([args.lostdata, "review", "serve", "--study", args.study, "--reviewer", "Browser"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = server.stdout.readline().strip()
    check(url.startswith("http://127.0.0.1:") and "?token=" in url, f"first line of stdout is the address: {url!r}")
    origin = url.split("/?")[0]

    options = Options()
    options.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(a)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    wait = WebDriverWait(driver, 15)

    def shot(name):
        if args.screenshots:
            driver.save_screenshot(os.path.join(args.screenshots, name))

    def keys(*k):
        driver.switch_to.active_element.send_keys(*k)

    def press_and_reload(*k):
        """A key that saves: the page posts, the server redirects, the page reloads."""
        old = driver.find_element(By.TAG_NAME, "body")
        keys(*k)
        wait.until(EC.staleness_of(old))
        wait.until(EC.presence_of_element_located((By.TAG_NAME, "body")))

    def selected():
        return driver.find_element(By.CSS_SELECTOR, "tr.row.selected").get_attribute("data-id")

    def select(article):
        """j / k until the article is selected."""
        order = [r.get_attribute("data-id") for r in driver.find_elements(By.CSS_SELECTOR, "tr.row")]
        check(article in order, f"{article} is in the queue")
        for _ in range(len(order)):
            if selected() == article:
                return
            keys("j" if order.index(article) > order.index(selected()) else "k")
        check(selected() == article, f"j/k reach {article}")

    def row_text(article, cls):
        return driver.find_element(By.CSS_SELECTOR, f'tr[data-id="{article}"] td.{cls}').text

    try:
        driver.get(url)
        check("Review queue" in driver.title, "the queue opens")
        check(selected() == "doi:10.1000/cat1", f"the first pending article is selected (got {selected()})")
        if args.with_hostile_article:
            title = driver.find_element(By.CSS_SELECTOR, 'tr[data-id="doi:10.1000/evil"] td a').text
            check(title.startswith('<script>alert("boom")</script>'), f"a title holding <script> is shown as text: {title!r}")
            check(not driver.find_elements(By.CSS_SELECTOR, "td b, td i, td img"), "no markup from the data became elements")
        keys("?")
        check(driver.find_element(By.ID, "help").is_displayed(), "? shows the keys")
        shot("review-help.png")
        keys("?")
        check(not driver.find_element(By.ID, "help").is_displayed(), "? hides the keys")
        shot("review-queue.png")

        # 1. Confirm the proposal of the selected article.
        press_and_reload("c")
        check(selected() == "doi:10.1000/cat1", "the confirmed article stays selected")
        check(row_text("doi:10.1000/cat1", "state") == "confirmed", "cat1 is confirmed")

        # 2. Change one's category: 5 by mistake, undo, then 2 (Catalysis as primary).
        select("doi:10.1000/il1")
        press_and_reload("5")
        check("Microscopic control" in row_text("doi:10.1000/il1", "decision"), "5 set Microscopic control")
        press_and_reload("u")
        check(row_text("doi:10.1000/il1", "state") == "pending", "u undid it")
        press_and_reload("2")
        check(row_text("doi:10.1000/il1", "state") == "changed", "il1 is changed")
        check(row_text("doi:10.1000/il1", "decision").startswith("Catalysis"), "Catalysis is il1's primary")

        # 3. Exclude one with a reason: x, choose the reason, type a note, Enter.
        select("doi:10.1000/mof1")
        keys("x")
        reason = driver.switch_to.active_element
        check(reason.get_attribute("id") == "exclude-reason", "x opens the exclusion form with the reason focused")
        reason.send_keys("review")
        keys(Keys.TAB)
        keys("a review of MOF membranes")
        press_and_reload(Keys.ENTER)
        check(row_text("doi:10.1000/mof1", "exclusion").startswith("excluded: review"), "mof1 is excluded")

        # 4. Correct one article's counts on its page: Enter opens it, i edits, Enter saves.
        select("doi:10.1000/mc1")
        old = driver.find_element(By.TAG_NAME, "body")
        keys(Keys.ENTER)
        wait.until(EC.staleness_of(old))
        check(driver.find_element(By.TAG_NAME, "body").get_attribute("data-id") == "doi:10.1000/mc1", "Enter opens the article")
        shot("review-article.png")
        keys("i")
        check(driver.switch_to.active_element.get_attribute("id") == "count-SEM", "i focuses the SEM count")
        keys(Keys.CONTROL, "a")
        keys("4")
        keys(Keys.TAB)
        keys(Keys.CONTROL, "a")
        keys("2")
        press_and_reload(Keys.ENTER)
        check("SEM 4 · STEM 2 · TEM 6" in driver.find_element(By.CSS_SELECTOR, "#state .images").text, "the page shows the new counts")

        # A second tab's stale write is refused with a message (the form still has version 0).
        driver.execute_script("""
            var f = document.createElement('form'); f.method = 'post'; f.action = '/decide';
            [['csrf', document.body.dataset.csrf], ['id', 'doi:10.1000/mc1'], ['version', '0'], ['action', 'confirm']].forEach(function (p) {
              var i = document.createElement('input'); i.type = 'hidden'; i.name = p[0]; i.value = p[1]; f.appendChild(i); });
            document.body.appendChild(f); f.submit();""")
        wait.until(EC.presence_of_element_located((By.ID, "message")))
        check("your change was not saved" in driver.find_element(By.ID, "message").text, "a stale write is refused with a message")
        shot("review-conflict.png")
        # Back on the queue the keys open it again (q leaves an article page).
        driver.get(origin + "/article?id=doi%3A10.1000%2Fmc1")
        old = driver.find_element(By.TAG_NAME, "body")
        keys("q")
        wait.until(EC.staleness_of(old))
        check(selected() == "doi:10.1000/mc1", "q returns to the queue with the article selected")
    finally:
        driver.quit()
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            code = None
    check(code == 0, f"SIGTERM stops the server cleanly (exit {code})")

    status = json.loads(subprocess.run([args.lostdata, "review", "status", "--json", "--study", args.study],
                                       capture_output=True, text=True, check=True).stdout)
    disagreements = {d["id"]: d for d in status["disagreements"]}
    check("doi:10.1000/cat1" not in disagreements and status["reviewed"] == 1, f"cat1 confirmed: {status}")
    # `1`-`5` set the primary and keep the machine's other categories (whatever the rules propose).
    il1 = disagreements.get("doi:10.1000/il1", {})
    check(il1.get("decision") == ["catalysis"] + [c for c in il1.get("proposal") or [] if c != "catalysis"]
          and "ionic-liquids" in (il1.get("decision") or []), f"il1 changed: {disagreements}")
    check(disagreements["doi:10.1000/il1"]["author"] == "Browser", "the decision records who")
    check(status["exclusions"] == [{"id": "doi:10.1000/mof1", "decision": "review"}], f"mof1 excluded: {status['exclusions']}")
    check(status["imageCounts"] == [{"id": "doi:10.1000/mc1", "SEM": 4, "STEM": 2, "TEM": 6}], f"mc1 counts: {status['imageCounts']}")

    table = json.loads(subprocess.run([args.lostdata, "table1", "--format", "json", "--study", args.study],
                                      capture_output=True, text=True, check=True).stdout)
    columns = {c["technique"]: c for c in table["sources"][0]["columns"]}
    # Figures stage: cat1 (2,1,4), mof1 (5,0,1), mc1 (0,3,6). mof1 excluded, mc1 corrected to (4,2,6).
    got = {t: columns[t]["images"] for t in ("SEM", "STEM", "TEM", "TOTAL")}
    check(got == {"SEM": 6, "STEM": 3, "TEM": 10, "TOTAL": 19}, f"table1 published images: {got}")
    check(columns["TOTAL"]["articles"] == 2, f"table1 articles: {columns['TOTAL']['articles']}")
    print("review page: keyboard review of 4 articles checked in chromium; review status and table1 agree")


if __name__ == "__main__":
    main()
