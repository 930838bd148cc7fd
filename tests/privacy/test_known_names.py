"""Names the caller knows (cc_analysis.privacy.known_names): pseudonyms, first names alone,
possessives, shared first names and handles."""

from __future__ import annotations

from cc_analysis.privacy import Redactor, Span, find_pii


def test_known_names_map_to_pseudonyms_incl_first_name_and_possessive() -> None:
    r = Redactor(known_names={"Maria Gonzalez": "P07", "Jordan Reyes": "R1", "Will Turner": "P02"})
    assert r.redact("Thanks for joining, Maria. How is reporting going?") == \
        "Thanks for joining, P07. How is reporting going?"
    assert r.redact("Maria's team loves it; maria gonzalez said so, MARIA GONZALEZ too.") == \
        "P07's team loves it; P07 said so, P07 too."
    assert r.redact("Gonzalez's export failed. Jordan Reyes: Hi Maria") == \
        "P07's export failed. R1: Hi P07"
    # a first name that is also a word is still a name mid-sentence and as a speaker label
    assert r.redact("Will you fix this? I asked Will. Will: yes.") == \
        "Will you fix this? I asked P02. P02: yes."
    assert r.redact("Reports Will Not Load") == "Reports Will Not Load"
    assert r.redact("We will ask Maria Gonzalez’s manager.") == "We will ask P07’s manager."


def test_known_names_as_iterable_and_shared_first_names() -> None:
    r = Redactor(known_names=["Ann Lee", "Tom Becker", "Ann Smith"])
    assert r.redact("Ann Lee and Tom said Becker agreed; Ann too.") == \
        "[NAME] and [NAME] said [NAME] agreed; [NAME] too."
    pr = Redactor(known_names={"Ann Lee": "P01", "Ann Smith": "P02"})
    assert pr.redact("Ann Smith and Ann") == "P02 and [NAME]"  # "Ann" is ambiguous


def test_known_handles_match_as_written() -> None:
    r = Redactor(known_names=["kim77", "Tom Becker"])
    assert r.redact("kim77 and KIM77 posted; kim777 did not. Tom agreed.") == \
        "[NAME] and [NAME] posted; kim777 did not. [NAME] agreed."
    assert find_pii("Tom Becker's ticket", known_names=["Tom Becker"]) == [Span("name", 0, 10)]



def test_a_known_first_name_with_another_surname_is_someone_else_removed_whole() -> None:
    # the sample report once read "My manager P69 Hardin": a participant's first name taken
    # for the participant, the colleague's surname left in the text
    r = Redactor(known_names={"Maria Gonzalez": "P07", "Priya": "P02"})
    assert r.redact("My manager Maria Okafor pushed for it.") == \
        "My manager [NAME] pushed for it."  # not P07: a false attribution
    assert r.redact("Ask Maria Okafor's team, or Maria.") == "Ask [NAME]'s team, or P07."
    # a name known by its first name alone keeps its pseudonym, and its surname goes with it
    assert r.redact("I asked Priya Raman twice.") == "I asked P02 twice."
    # the known full name, and a first name before an ordinary word, are unchanged
    assert r.redact("Maria Gonzalez and Maria agreed. Maria, thanks.") == \
        "P07 and P07 agreed. P07, thanks."
    assert "Okafor" not in r.redact("Thanks to Maria Okafor")
    # the same with the first name given as a variant of the full name, as ingest does
    # (transcripts.name_variants)
    v = Redactor(known_names={"Paul Gomez": "P61", "Paul": "P61"})
    assert v.redact("Actually Paul Daugherty set it up. Paul, thanks.") == \
        "Actually [NAME] set it up. P61, thanks."


def test_a_known_name_goes_whole_in_any_case_with_its_initials() -> None:
    r = Redactor(known_names={"Priya Raman": "P02", "Ngozi Okafor": "P03", "Will May": "P04"})
    # every token, whatever the case; a surname alone unless it is an everyday word
    assert r.redact("please ask for priya raman") == "please ask for P02"
    assert r.redact("PRIYA RAMAN called, then okafor") == "P02 called, then P03"
    assert r.redact("raman's team") == "P02's team"
    # initials go with the name: a first initial, a middle initial
    assert r.redact("P. Raman signed") == "P02 signed"
    assert r.redact("Priya R. Raman and Ngozi A Okafor") == "P02 and P03"
    # a sentence end between two known words is two mentions, not one name
    assert r.redact("Priya. Raman is here") == "P02. P02 is here"
    # everyday words stay words in lower case: "will", "may"
    assert r.redact("we will see, it may work") == "we will see, it may work"
    assert r.redact("Will May approved it") == "P04 approved it"
