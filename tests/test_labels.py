"""Labels are read one way, wherever they stand (chapter 29).

Issue 21, point 4. A target column of ``yes``, ``Yes``, ``YES``, ``no``, ``No`` was
fitted as five classes, although the same cells in a feature column are one flag.
"""

from hypothesis import assume, given, strategies as st

from logreg_pure.part6_command_line.files import parse_csv_text


def any_case(word):
    """``word`` with each letter in either case: ``yes``, ``Yes``, ``yEs`` ..."""
    return st.tuples(*[st.sampled_from([c.lower(), c.upper()]) for c in word]).map("".join)


@st.composite
def flag_cells(draw):
    """2 to 12 cells, each one of a flag pair's two words (no/yes or false/true) in any
    case, both words present."""
    false, true = draw(st.sampled_from([("no", "yes"), ("false", "true")]))
    cells = draw(st.lists(st.one_of(any_case(false), any_case(true)), min_size=2, max_size=12))
    assume({c.lower() for c in cells} == {false, true})
    return cells, true


@given(flag_cells())
def test_a_target_of_flag_words_reads_as_the_same_cells_in_a_feature_column(data):
    """Law: a target column whose cells are a flag pair's two words, in any mixture of
    cases, has two classes, and each row's class is the 0 or 1 the same cells get as a
    feature column (a flag: false or no is 0, true or yes is 1), even when the first
    spelling of a word is not its last.

    Precondition: both words present (one word alone is one class). Exact: codes.
    """
    cells, true = data
    text = "x,flag,target\n" + "".join(f"{i},{c},{c}\n" for i, c in enumerate(cells))
    as_target = parse_csv_text(text, "target", features=["x"], multiclass=True)
    as_feature = parse_csv_text(text, "x", features=["flag"], multiclass=True)
    assert len(as_target.label_mapping) == 2
    assert as_target.y == [row[0] for row in as_feature.X] == [float(c.lower() == true) for c in cells]
