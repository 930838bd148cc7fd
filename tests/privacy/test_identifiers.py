"""Identifiers beyond contact details, on probes written from each format's published rules
(not from the sample generator): every probe's value is gone, and look-alikes stay."""

from __future__ import annotations

import pytest

from cc_analysis.privacy import KINDS, Redactor

red = Redactor()

# (text, the values that must be gone, the replacement token expected)
FOUND = [
    ("My SSN is 536-22-8726, thanks", ["536-22-8726"], "[NATIONAL_ID]"),
    ("social security no. 536 22 8726", ["536 22 8726"], "[NATIONAL_ID]"),
    ("NI number: JG 10 37 92 B", ["JG 10 37 92 B"], "[NATIONAL_ID]"),
    ("my nino is ab123456c", ["ab123456c"], "[NATIONAL_ID]"),
    ("Passport No. 533380006 expires soon", ["533380006"], "[NATIONAL_ID]"),
    ("driving licence MORGA753116SM9IJ", ["MORGA753116SM9IJ"], "[NATIONAL_ID]"),
    ("Tax ID: 12-3456789", ["12-3456789"], "[NATIONAL_ID]"),
    ("login from 81.2.69.160 failed", ["81.2.69.160"], "[IP]"),
    ("blocked 2a00:1450:4009:81f::200e again", ["2a00:1450:4009:81f::200e"], "[IP]"),
    ("Date of birth: 14/03/1987", ["14/03/1987"], "[BIRTH_DATE]"),
    ("she was born on March 3rd, 1990 in Leeds", ["March 3rd, 1990"], "[BIRTH_DATE]"),
    ("DOB 1985-07-21", ["1985-07-21"], "[BIRTH_DATE]"),
    ("ping me @lena_k or @Marco.Rossi", ["@lena_k", "@Marco.Rossi"], "[HANDLE]"),
    ("profile: linkedin.com/in/tomas-novak-0a1b2c", ["tomas-novak"], "[HANDLE]"),
    ("book me at https://calendly.com/akosua-mensah/30min", ["akosua-mensah"], "[HANDLE]"),
    ("follow twitter.com/kenji_sato", ["kenji_sato"], "[HANDLE]"),
    ("mail ingrid.berg at fjord dot no please", ["ingrid.berg", "fjord"], "[EMAIL]"),
    ("write to r_osei at mailbox.org", ["r_osei"], "[EMAIL]"),
    ("card 4111.1111.1111.1111 declined", ["4111.1111"], "[CARD]"),
    ("iban de89 3704 0044 0532 0130 00", ["de89 3704"], "[IBAN]"),
    ("12 High Street, Bristol BS1 4DJ", ["BS1 4DJ", "12 High Street"], "[POSTCODE]"),
    ("Ottawa, ON k1a 0b1", ["k1a 0b1"], "[POSTCODE]"),
    ("Springfield, IL 62704-1234", ["62704"], "[POSTCODE]"),
    ("Lieferadresse Lindenstraße 17, 50674 Köln", ["Lindenstraße 17", "50674"], "[ADDRESS]"),
    ("envoyez au 8 rue des Lilas, 69003 Lyon", ["rue des Lilas", "69003"], "[ADDRESS]"),
    ("Calle de Alcalá 42, Madrid", ["Alcalá 42"], "[ADDRESS]"),
    ("Prinsengracht 263, Amsterdam", ["Prinsengracht 263"], "[ADDRESS]"),
]

# look-alikes that are no personal data
KEPT = [
    "Upgraded to version 10.2.0.1 and v4.4.0.2 last week",
    "the VPN gives us 10.0.0.12 and 192.168.1.20, both internal",
    "Order 123-456-7890 and ticket 536-22-872 are open",
    "Call at 10:30:45, the meeting ran 3:15",
    "We met at noon at the office; I work at acme.com",
    "Email support@ is broken, and the @ sign shows twice",
    "It was born out of frustration in 2019",
    "In Q3 2024 we had 12345 users across 3 regions",
    "The place 2 teams use most is the board view",
    "Plan B2 costs more than plan A1",
    "ISO 27001 and SOC 2 Type II reports",
]


@pytest.mark.parametrize(("text", "values", "token"), FOUND)
def test_identifiers_are_redacted(text: str, values: list[str], token: str) -> None:
    out = red.redact(text)
    assert token in out, out
    for value in values:
        assert value.lower() not in out.lower(), (value, out)


@pytest.mark.parametrize("text", KEPT)
def test_look_alikes_are_kept(text: str) -> None:
    assert red.redact(text) == text


def test_every_kind_can_be_switched_off() -> None:
    from cc_analysis.privacy import PiiPolicy

    assert {"national_id", "ip", "birth_date", "handle", "postcode"} <= set(KINDS)
    off = Redactor(PiiPolicy.from_dict({"ip": False, "handle": False}))
    assert off.redact("from 81.2.69.160 by @lena_k") == "from 81.2.69.160 by @lena_k"
