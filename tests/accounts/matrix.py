"""C1 rows of the sign-up pages: anyone may sign up (signed-in people are sent to their home);
a confirmation link that is not ours answers 404 with a page saying so."""

MATRIX = {
    "accounts:signup": ("/accounts/signup/", (200, 302, 302, 302, 302, 302)),
    "accounts:signup_sent": ("/accounts/signup/sent/", (200,) * 6),
    "accounts:verify_email": ("/accounts/signup/confirm/not-a-link/", (404,) * 6),
    "accounts:verify_email_form": ("/accounts/signup/confirm/", (404,) * 6),
}
