"""Steps the browser tests share: sign in, follow a link or a form to its page, read a page.

Playwright's `click()` returns once a navigation has begun, not when the next page has loaded:
reading the page at that moment finds the page being left or an empty new document (seen on a
loaded CI machine). `follow` waits for the next page's load event, so what comes after it reads
the page the click led to.
"""

from playwright.sync_api import Locator, Page

PASSWORD = "a-Long-enough-passw0rd"


def follow(target: Locator) -> Page:
    """Click a link or a form's button and wait until the page it leads to has loaded."""
    page = target.page
    with page.expect_navigation(wait_until="load"):
        target.click()
    return page


def sign_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form and wait for the page it leads to."""
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    follow(page.locator("main form button[type=submit]"))


def text_of(page: Page) -> str:
    """The page's HTML with apostrophes as the reader sees them."""
    return page.content().replace("&#x27;", "'").replace("&#39;", "'")
