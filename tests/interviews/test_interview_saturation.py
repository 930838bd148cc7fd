"""Saturation: the Guest et al. stopping rule by hand, and on the sample's 80 interviews."""

from __future__ import annotations

from cc_analysis import interviews as iv


def test_saturation_curve_and_guest_rule() -> None:
    sets = [("i1", {"a", "b"}), ("i2", {"b", "c"}), ("i3", {"d"}), ("i4", {"a"}),
            ("i5", {"a", "c"}), ("i6", {"b"}), ("i7", {"e"})]
    sat = iv.saturation_curve(sets, base=4, run=2, threshold=0.05, n_permutations=50)
    assert sat.curve["cumulative_themes"].tolist() == [2, 3, 4, 4, 4, 4, 5]
    assert sat.curve["new_themes"].tolist() == [2, 1, 1, 0, 0, 0, 1]
    assert sat.reached_at == 6  # interviews 5-6 add nothing new to the 4 themes of 1-4
    assert "Saturation reached after 6 of 7" in sat.statement()
    assert (sat.curve["random_lo"] <= sat.curve["random_hi"]).all()
    never = iv.saturation_curve([(f"i{k}", {f"t{k}"}) for k in range(8)], n_permutations=10)
    assert never.reached_at is None and "Not saturated" in never.statement()



def test_saturation_on_the_sample(sample: dict) -> None:
    sat = sample["synth"].saturation(n_permutations=50)
    assert len(sat.curve) == 80
    first = sample["synth"].subset(quarter="2024Q4")
    assert first.interviews["quarter"].eq("2024Q4").all() and len(first.interviews) == 10
    # the planted themes are nearly all heard within the first quarter's ten interviews
    cb = set(sample["synth"].codebook.ids)
    assert len(set().union(*first.participant_themes().values()) & cb) >= 7
    assert sat.reached_at is not None and sat.reached_at <= 40, sat.statement()
