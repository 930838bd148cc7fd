"""Personal data found by its shape (cc_analysis.privacy.patterns): each kind in realistic
text, and numbers, URLs and codes that are not personal data left alone."""

from __future__ import annotations

import pytest

from cc_analysis.privacy import Redactor


def luhn_complete(prefix: str, length: int) -> str:
    """A Luhn-valid number starting with ``prefix``."""
    body = prefix + "7" * (length - len(prefix) - 1)
    for check in "0123456789":
        digits = [int(c) for c in body + check][::-1]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2)
                    for i, d in enumerate(digits))
        if total % 10 == 0:
            return body + check
    raise AssertionError("unreachable")


# -- emails ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("Please reply to jane.doe+billing@acme-corp.co.uk, not the owner.",
     "Please reply to [EMAIL], not the owner."),
    ("Easy to use, email me at jo@example.com", "Easy to use, email me at [EMAIL]"),
    ("cc O'Neil@example.org on updates", "cc [EMAIL] on updates"),
    ("My email is maria@redwood.example.", "My email is [EMAIL]."),
    ("write to jane (at) acme (dot) com", "write to [EMAIL]"),
])
def test_emails(red: Redactor, text: str, expected: str) -> None:
    assert red.redact(text) == expected


# -- phones ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("phone", [
    "(415) 555-0123", "415-555-0123", "415.555.0123", "+1 415 555 0123", "+44 20 7946 0958",
    "(415)555-0123", "+1-415-555-0123", "1-800-555-0199", "415-555-0123 x204", "020 7946 0958",
    "+49 30 12345678", "+33 6 12 34 56 78",
])
def test_phone_formats(red: Redactor, phone: str) -> None:
    assert red.redact(f"Call me at {phone} after 5pm.") == "Call me at [PHONE] after 5pm."


def test_bare_digits_are_a_phone_only_after_a_cue(red: Redactor) -> None:
    assert red.redact("Text me at 4155550123 please") == "Text me at [PHONE] please"
    assert red.redact("Export job 4155550123 failed") == "Export job 4155550123 failed"


@pytest.mark.parametrize("text", [
    "The sync broke on 2026-09-30 at 14:30 and again at 09:05:12.",
    "We pay $12,000 ARR, i.e. $1,000 MRR, $1,234,567.89 in total.",
    "Running v2.3.1 (build 2026.09.1) on 10.0.0.12 port 8080.",
    "See ticket #100234 and order 123-456-7890, invoice INV-2026-0042.",
    "Order #: 415-555-0123 was shipped; case #123-456-7890 is closed.",
    "Q3 2026 revenue grew +15% to EUR 1.100.000; 25 000 users, 3.5M rows.",
    "Meeting on 02 10 2026 at 10, ref 1234-5678-9012, ISBN 978-3-16-148410-0.",
    "Epoch 1727740800 and 12/31/2026 and 10-20% and 2024-2026.",
])
def test_numbers_that_are_not_personal_data(red: Redactor, text: str) -> None:
    assert red.redact(text) == text


# -- cards ----------------------------------------------------------------------------------------
def test_cards_need_a_valid_luhn_check(red: Redactor) -> None:
    visa = luhn_complete("4", 16)
    grouped = " ".join(visa[i:i + 4] for i in range(0, 16, 4))
    amex = luhn_complete("37", 15)
    amex_grouped = f"{amex[:4]} {amex[4:10]} {amex[10:]}"
    for card in (visa, grouped, grouped.replace(" ", "-"), amex, amex_grouped,
                 luhn_complete("4", 13), luhn_complete("4", 19), "4111 1111 1111 1111"):
        assert red.redact(f"We tried the card {card} and it was declined.") == \
            "We tried the card [CARD] and it was declined.", card
    bad = visa[:-1] + str((int(visa[-1]) + 1) % 10)
    for text in (f"Card {bad} was refused", "Card 4111 1111 1111 1112 was refused",
                 "Account 411111111111 (12 digits)"):
        assert red.redact(text) == text


# -- URLs, IBAN, addresses ------------------------------------------------------------------------
@pytest.mark.parametrize("url", [
    "https://app.example.com/reset?token=9f8e7d6c5b4a39281706f5e4d3c2b1a0&email=jane%40gmail.com",
    "https://app.northwind.example/invite/accept?token=9f8e7d6c5b4a392817",
    "https://app.example.com/login/magic?token=abc&uid=48213",
    "https://portal.example.com/session?sid=AbC123&user=jdoe",
    "https://files.example.com/s/a8F3kLm9Qz2Xv7Bn4Wc6Yt1R/report.pdf",
    "http://example.com/unsubscribe?e=bob@example.com",
])
def test_urls_with_personal_tokens_are_redacted_whole(red: Redactor, url: str) -> None:
    assert red.redact(f"The reset link {url} doesn't work.") == "The reset link [URL] doesn't work."


def test_plain_urls_are_kept(red: Redactor) -> None:
    text = ("Docs at https://docs.example.com/guide?page=2&lang=en are fine, "
            "see www.example.com/pricing.")
    assert red.redact(text) == text


def test_iban_and_addresses(red: Redactor) -> None:
    assert red.redact("Refund to IBAN GB82 WEST 1234 5698 7654 32 please.") == \
        "Refund to IBAN [IBAN] please."
    assert red.redact("IBAN GB82 WEST 1234 5698 7654 33 is wrong") == \
        "IBAN GB82 WEST 1234 5698 7654 33 is wrong"  # fails mod-97
    assert red.redact("Ship it to 1234 Main Street, Springfield, IL 62704 by Friday.") == \
        "Ship it to [ADDRESS] by Friday."
    assert red.redact("Our office is at 55 W. 46th St, Suite 300.") == \
        "Our office is at [ADDRESS]."
    assert red.redact("Send it to P.O. Box 1234 instead.") == "Send it to [ADDRESS] instead."

