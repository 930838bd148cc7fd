"""Pain point / need / goal / praise: the rule-based first pass on typical answers."""

from __future__ import annotations

from cc_analysis import interviews as iv

KIND_EXAMPLES = [
    ("I'd love to be able to build a custom report without exporting first.", "need"),
    ("If I could approve things from my phone, that would change my day.", "need"),
    ("We really need a cheaper viewer seat for the sales team.", "need"),
    ("We're trying to get every project's status in front of leadership by Monday.", "goal"),
    ("We use it to plan and track all of our client projects.", "goal"),
    ("Our goal is to cut the time from intake to delivery in half.", "goal"),
    ("It's gotten slower and the timeline view just lags.", "pain point"),
    ("The Zapier workaround breaks every few weeks and it's really frustrating.", "pain point"),
    ("I build the weekly roll-up by hand in a spreadsheet.", "pain point"),
    ("The thing I like most is how easy it is; new people pick it up in a day.", "praise"),
    ("The drag and drop planning is great, our project managers love it.", "praise"),
    ("Compared to our old tool it's so much cleaner.", "praise"),
    ("We moved offices last month.", "other"),
]


def test_pain_need_goal_praise_classification() -> None:
    texts, want = zip(*KIND_EXAMPLES, strict=True)
    got = iv.classify_snippets(list(texts))
    assert set(got) <= set(iv.SNIPPET_KINDS)
    correct = sum(g == w for g, w in zip(got, want, strict=True))
    assert correct >= 12, list(zip(texts, got, strict=True))  # at least 12 of 13
