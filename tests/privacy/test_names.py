"""Person names found by gazetteer and cues (cc_analysis.privacy.names), words that look like
names left alone, and the policy's allow_names."""

from __future__ import annotations

import pytest

from cc_analysis.privacy import PiiPolicy, Redactor


# -- names ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    # support tickets
    ("Hi, this is Tom Becker. Card was charged.", "Hi, this is [NAME]. Card was charged."),
    ("Please ask for Grace if I'm out.", "Please ask for [NAME] if I'm out."),
    ("Thanks,\nWill", "Thanks,\n[NAME]"),
    ("Best regards,\nPriya Raman\nHead of Ops", "Best regards,\n[NAME]\nHead of Ops"),
    ("My manager Kelsey Okonkwo asked me to send it.", "My manager [NAME] asked me to send it."),
    ("Dr. Price and Mr. Long approved it.", "Dr. [NAME] and Mr. [NAME] approved it."),
    ("Escalated by Ms. Jennifer O'Brien-Smith, PhD.", "Escalated by Ms. [NAME]."),
    ("John Q. Public and Anna van der Berg signed.", "[NAME] and [NAME] signed."),
    # NPS comments
    ("Love it. Call Maria Gonzalez, she set it up.", "Love it. Call [NAME], she set it up."),
    ("Jennifer's team loves the dashboards.", "[NAME]'s team loves the dashboards."),
    ("Kudos to Austin Smith and Will Turner!", "Kudos to [NAME] and [NAME]!"),
    ("My name is Zorblax Quint and I'm not happy.", "My name is [NAME] and I'm not happy."),
    ("I spoke with Ngozi Adeyemi yesterday.", "I spoke with [NAME] yesterday."),
    ("Hi Zorblax, the export is broken.", "Hi [NAME], the export is broken."),
    ("Talked to José García in support.", "Talked to [NAME] in support."),
    # interview turns
    ("Actually Connor set most of it up, so he'd know.",
     "Actually [NAME] set most of it up, so he'd know."),
    ("If you want more detail, Makayla Nguyen on our ops team is the power user.",
     "If you want more detail, [NAME] on our ops team is the power user."),
    ("Jordan said the rollout was slow.", "[NAME] said the rollout was slow."),
])
def test_names(red: Redactor, text: str, expected: str) -> None:
    assert red.redact(text) == expected


@pytest.mark.parametrize("text", [
    "Will you fix this?",
    "May was a busy month.",
    "The Salesforce integration stopped syncing.",
    "Grace period on invoices would help.",
    "Mark as read does nothing. Bill pay times out.",
    "Hope you can prioritise the CSV export.",
    "Frank feedback: onboarding was slow.",
    "Crystal Reports export misses totals; Sage Intacct sync duplicates entries.",
    "Spring Boot starter would be great.",
    "We opened offices in St. Louis, San Francisco and Sydney.",
    "Hello, Lately the dashboards are slow.",
    "Hi team,\n\nPage loads are really slow.",
    "Thanks, the team really helped.",
    "Regards, the operations team",
    "Best regards,\nAcme Corp",
    "I'm Canadian and I'm happy.",
    "Dear Valued Customer, your renewal is due.",
    "Reports Will Not Load After Update",
    "The June webinar and the April release.",
])
def test_words_that_look_like_names_are_kept(red: Redactor, text: str) -> None:
    assert red.redact(text) == text


def test_allow_names_from_policy() -> None:
    text = "Thanks, Zorblax team. Jasper Reports is fine. Northwind rocks."
    assert Redactor().redact("Thanks, Zorblax!") == "Thanks, [NAME]!"
    r = Redactor(PiiPolicy(allow_names=("Zorblax", "Jasper Reports", "Northwind")))
    assert r.redact(text) == text
    assert r.redact("Thanks, Zorblax!") == "Thanks, Zorblax!"



def test_names_written_in_lower_case_or_all_caps() -> None:
    red = Redactor()
    # a first name and a surname together, neither an everyday word, whatever the case
    assert red.redact("please ask for priya raman") == "please ask for [NAME]"
    assert red.redact("JOHN SMITH called twice") == "[NAME] called twice"
    assert red.redact("cc: ayşe kaya") == "cc: [NAME]"
    # alone, or made of everyday words, lower-case words stay words (clothing reviews: "a
    # tad big", "jean jacket"; "will grace", "mark down")
    for text in ("it runs a tad big", "my jean jacket", "we will grace it", "mark down the price",
                 "THE REPORT IS BROKEN"):
        assert red.redact(text) == text, text
