import pytest

from sources.text import fold, initial_letter


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Bağırov", "Bagirov"),
        ("BAGIROV", "bagirov"),
        ("Mircəfər Bağırov", "mircefer bagirov"),
        ("Ja'far Pishevari", "Jafar Pishevari"),
        ("Ja’far", "Jaʿfar"),
        ("Incə", "Ince"),
        ("Yemel'yanov", "Yemelyanov"),
        ("Qavam as-Saltaneh", "qavam as saltaneh"),
        ("Sayınqala", "Sayinqala"),
        ("Şahpur  Çay", "sahpur cay"),
    ],
)
def test_fold_meets_spellings_readers_type(a, b):
    assert fold(a) == fold(b)


def test_fold_keeps_other_scripts_findable():
    assert fold("Багиров") == "багиров"
    assert fold("ارومیه") == "ارومیه"


def test_fold_of_nothing_is_nothing():
    assert fold("") == ""
    assert fold("  ’ - ") == ""


def test_initial_letters_fold_accents():
    assert initial_letter("Ələkbərov, Ə.") == "E"
    assert initial_letter("Şahpur") == "S"
    assert initial_letter("'Ali") == "A"
    assert initial_letter("1st Army") == "#"
