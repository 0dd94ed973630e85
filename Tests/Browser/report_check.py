#!/usr/bin/env python3
"""Opens a lostdata report in headless Chromium (selenium + Debian chromium-driver) and checks
that every chart has a non-empty box and that the page logged no console error.
Usage: report_check.py PATH/TO/index.html   (exit 0 when fine; prints what it found)"""
import pathlib
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def main(path):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    problems = []
    try:
        driver.get(pathlib.Path(path).resolve().as_uri())
        charts = driver.find_elements(By.CSS_SELECTOR, "figure svg.chart")
        boxed = 0
        for svg in charts:
            size = svg.size
            if size["width"] > 50 and size["height"] > 50:
                boxed += 1
            else:
                problems.append(f"chart {svg.get_attribute('id')} has an empty box {size}")
            if not svg.find_elements(By.CSS_SELECTOR, "rect.bar"):
                problems.append(f"chart {svg.get_attribute('id')} has no bars")
        if not charts:
            problems.append("no chart on the page")
        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        problems += [f"console: {e.get('message')}" for e in errors]
        print(f"charts: {len(charts)}")
        print(f"charts with a box: {boxed}")
        print(f"console errors: {len(errors)}")
    finally:
        driver.quit()
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
