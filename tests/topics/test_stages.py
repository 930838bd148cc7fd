"""Journey stages: the default descriptions sort real customer questions into sensible stages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cc_analysis import topics
from cc_analysis.embeddings import embed

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
# Banking77 intents whose journey stage is not in doubt (the others, e.g. transfers pending,
# could be everyday use or support): what a customer asks at that stage of the journey.
STAGE_INTENTS = {
    "Onboarding": ["activate_my_card", "verify_my_identity", "why_verify_identity",
                   "unable_to_verify_identity", "order_physical_card", "get_physical_card",
                   "getting_virtual_card", "card_delivery_estimate", "card_arrival", "age_limit"],
    "Everyday use": ["card_not_working", "contactless_not_working", "virtual_card_not_working",
                     "atm_support", "exchange_via_app", "apple_pay_or_google_pay",
                     "card_acceptance", "transfer_timing"],
    "Billing": ["card_payment_fee_charged", "transfer_fee_charged", "cash_withdrawal_charge",
                "exchange_charge", "extra_charge_on_statement", "transaction_charged_twice",
                "request_refund", "Refund_not_showing_up", "top_up_by_card_charge",
                "top_up_by_bank_transfer_charge"],
    "Renewal & cancellation": ["terminate_account"],
}


def test_tag_stages_picks_the_closest_description() -> None:
    stages = {"A": "paying the bill", "B": "closing the account"}
    vectors = embed(["How do I pay my bill?", "Please close my account for good."], "minilm")
    assert topics.tag_stages(vectors, stages).tolist() == ["A", "B"]


def test_default_stages_on_real_banking_questions() -> None:
    path = SHARED / "banking77" / "test.csv"
    if not path.is_file():
        pytest.skip("../shared/datasets/banking77 is absent")
    want = {intent: stage for stage, intents in STAGE_INTENTS.items() for intent in intents}
    questions = pd.read_csv(path)
    questions = questions[questions["category"].isin(want)].groupby("category").head(15)
    got = topics.tag_stages(embed(questions["text"].tolist(), "minilm"))
    right = pd.Series(got == questions["category"].map(want).to_numpy())
    recall = right.groupby(questions["category"].map(want).to_numpy()).mean()
    # measured on these 435 questions (15 per intent): recall billing 0.83, renewal &
    # cancellation 0.87, onboarding 0.49, everyday use 0.17 (a card that stops working reads
    # as a payment or support question), mean 0.59; the earlier descriptions, which echoed
    # the sample generator's themes, reached 0.72 / 0.87 / 0.29 / 0.09, mean 0.49
    assert recall.mean() >= 0.55, recall.round(3).to_dict()
    assert recall.drop("Everyday use").min() >= 0.45, recall.round(3).to_dict()
    assert set(np.unique(got)) <= set(topics.DEFAULT_STAGES)
