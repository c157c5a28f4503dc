"""Chapter 29: columns: categories as indicators, flags, missing values, delimiters.

The command line meets the CSV files people have (issue 14, items 4 to 9): text
columns become indicator columns as in R's glm, true/false columns 1/0, missing
values can be dropped (R's na.omit), columns chosen by name, delimiters detected,
and the API's options reachable from the command line.
"""

import json
import math
import random
import re

import pytest
from hypothesis import assume, example, given, strategies as st

from logreg_pure import LogisticRegression
from logreg_pure.part6_command_line.files import load_model, parse_csv_text

from processes import run_in_process


COLORS = ["red", "green", "blue", "green", "red", "blue", "red", "green", "blue", "red", "blue", "green"]
SMOKER = ["yes", "no", "no", "yes", "no", "yes", "yes", "no", "no", "no", "yes", "yes"]
HOURS = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 1.2, 4.2]
PASSED = [0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 0]


def table(delimiter=","):
    rows = [delimiter.join(["id", "hours", "color", "smoker", "passed"])]
    rows += [delimiter.join([str(100 + i), str(h), c, s, str(p)])
             for i, (h, c, s, p) in enumerate(zip(HOURS, COLORS, SMOKER, PASSED))]
    return "\n".join(rows) + "\n"


def run(*args, cwd=None):
    """The command, in-process (the question here is the columns, not the process)."""
    return run_in_process(*args, cwd=cwd)


# ------------------------------------------------------------------- the law

@given(st.lists(st.sampled_from(["red", "green", "blue", "Blue", "teal", "10 kg", "=x"]), min_size=2, max_size=30))
def test_a_category_becomes_one_indicator_per_level_but_the_first(cells):
    """Law: a text column with levels L_0 < L_1 < ... (sorted; L_0 the reference)
    becomes one column per level after the first, named "name=L_j"; a row has 1 in
    the column of its own level and 0 elsewhere, so reference rows are all zero.

    Exact: indicators are the floats 0.0 and 1.0."""
    from logreg_pure.part6_command_line.columns import encode_column, infer_column
    levels = sorted(set(cells))
    assume(len(levels) >= 2)  # one level carries no information: refused (tested below)
    numbered = list(enumerate(cells, start=2))
    column = infer_column("c", numbered, "f.csv")
    assert column.levels == tuple(levels)
    assert column.feature_names == [f"c={level}" for level in levels[1:]]
    for cell, row in zip(cells, encode_column(column, numbered, "f.csv")):
        assert row == [1.0 if cell == level else 0.0 for level in levels[1:]]


# ---------------------------------------------------- categories (item 4)

def test_a_text_column_becomes_indicators_as_in_r():
    # Item 4: a text column was refused as "not a number".
    data = parse_csv_text(table(), "passed", ignore=["id"])
    assert data.feature_names == ["hours", "color=green", "color=red", "smoker"]
    assert data.X[0] == [0.5, 0.0, 1.0, 1.0] and data.X[2] == [1.5, 0.0, 0.0, 0.0]
    assert any("column 'color': 3 categories, reference 'blue'" in note for note in data.notes)
    assert any("column 'smoker': no/yes read as 0/1" in note for note in data.notes)
    # The fit equals the fit on the indicator table written by hand (what R's glm builds).
    by_hand = [[h, float(c == "green"), float(c == "red"), float(s == "yes")]
               for h, c, s in zip(HOURS, COLORS, SMOKER)]
    fitted = LogisticRegression(solver="newton", reg=0.1, tol=1e-10).fit(data.X, data.y)
    assert fitted.coef_ == LogisticRegression(solver="newton", reg=0.1, tol=1e-10).fit(by_hand, PASSED).coef_


@pytest.mark.parametrize("cells, words", [
    (["red", "red"], "holds the one category 'red'"),
    (["1", "two"], "'two' is not a number.*holds numbers on other lines"),
    (["true", "maybe", "false"], None),
])
def test_columns_that_cannot_be_encoded(cells, words):
    text = "x,y\n" + "".join(f"{c},{i % 2}\n" for i, c in enumerate(cells))
    if words is None:  # a third word makes a flag column a category
        assert parse_csv_text(text, "y").feature_names == ["x=maybe", "x=true"]
        return
    with pytest.raises(ValueError, match=words):
        parse_csv_text(text, "y")


def test_the_encoding_travels_with_the_model_file(tmp_path):
    (tmp_path / "train.csv").write_text(table())
    fitted = run("fit", "train.csv", "--target", "passed", "--ignore", "id", "--model", "m.json", "--reg", "0.1",
                 cwd=tmp_path)
    assert fitted.returncode == 0, fitted.stderr
    assert "note: column 'color': 3 categories, reference 'blue'; indicators color=green, color=red" in fitted.stdout
    assert "color=green" in fitted.stdout and "smoker" in fitted.stdout
    saved = json.loads((tmp_path / "m.json").read_text())
    assert saved["columns"][1] == {"name": "color", "kind": "categorical", "levels": ["blue", "green", "red"]}
    assert saved["feature_names"] == ["hours", "color=green", "color=red", "smoker"]
    # New rows in another column order, with one level only: encoded the training way.
    (tmp_path / "new.csv").write_text("smoker,color,hours\nYES,red,0.5\nno,red,1.5\n")
    predicted = run("predict", "m.json", "new.csv", "--proba", cwd=tmp_path)
    assert predicted.returncode == 0, predicted.stderr
    model = load_model(str(tmp_path / "m.json"))
    expected = model.probability([[0.5, 0.0, 1.0, 1.0], [1.5, 0.0, 1.0, 0.0]])
    assert [float(v) for v in predicted.stdout.split()[1:]] == expected
    (tmp_path / "odd.csv").write_text("smoker,color,hours\nyes,purple,0.5\n")
    unseen = run("predict", "m.json", "odd.csv", cwd=tmp_path)
    assert unseen.returncode == 1
    assert "line 2, column 'color': the level 'purple' was not seen in training" in unseen.stderr
    evaluated = run("evaluate", "m.json", "train.csv", "--target", "passed", cwd=tmp_path)
    assert evaluated.returncode == 0 and "accuracy" in evaluated.stdout


def test_summary_tables_show_the_indicator_names(tmp_path):
    (tmp_path / "t.csv").write_text(table())
    result = run("summary", "t.csv", "--target", "passed", "--ignore", "id", "--reg", "0.1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert all(name in result.stdout for name in ("color=green", "color=red", "smoker", "hours"))


def test_model_files_refuse_column_rules_that_do_not_give_the_features(tmp_path):
    from logreg_pure.part6_command_line.columns import Column
    from logreg_pure.part6_command_line.files import save_model
    data = parse_csv_text(table(), "passed", ignore=["id"])
    model = LogisticRegression(solver="newton", reg=0.1).fit(data.X, data.y, feature_names=data.feature_names)
    path = tmp_path / "m.json"
    save_model(str(path), model, feature_names=data.feature_names, columns=data.columns)
    assert load_model(str(path)).columns == data.columns
    wrong = data.columns[:1] + (Column("color", "categorical", ("blue", "red")),) + data.columns[2:]
    with pytest.raises(ValueError, match="field 'columns' does not give the model's feature names"):
        save_model(str(path), model, feature_names=data.feature_names, columns=wrong)
    document = json.loads(path.read_text())
    document["columns"][1]["kind"] = "fancy"
    with pytest.raises(ValueError, match="field 'columns\\[1\\].kind' must be one of"):
        from logreg_pure.part6_command_line.files import model_from_document
        model_from_document(document)


# ----------------------------------------------- missing values (item 5)

MISSING_TABLE = "a,b,y\n1,2,0\n2,NA,1\n3,7,0\n,5,1\n5,1,1\n6,7,0\n7,,1\n8,3,0\n"


@pytest.mark.parametrize("command", [["fit", "--model", "m.json"], ["summary"], ["explain"]])
def test_drop_missing_drops_and_reports_the_rows(tmp_path, command):
    # Item 5: any missing cell stopped the run; --drop-missing did not exist.
    (tmp_path / "d.csv").write_text(MISSING_TABLE)
    strict = run(command[0], "d.csv", "--target", "y", *command[1:], cwd=tmp_path)
    assert strict.returncode == 1 and "line 3, column 'b': missing value 'NA'" in strict.stderr
    assert "--drop-missing" in strict.stderr
    dropped = run(command[0], "d.csv", "--target", "y", *command[1:], "--drop-missing", "--reg", "0.1",
                  cwd=tmp_path)
    assert dropped.returncode == 0, dropped.stderr
    assert "note: dropped 3 of 8 rows with missing values ('a': 1, 'b': 2)" in dropped.stdout


def test_evaluate_drops_but_predict_never_drops_silently(tmp_path):
    (tmp_path / "d.csv").write_text(MISSING_TABLE)
    assert run("fit", "d.csv", "--target", "y", "--model", "m.json", "--drop-missing", "--reg", "0.1",
               cwd=tmp_path).returncode == 0
    evaluated = run("evaluate", "m.json", "d.csv", "--target", "y", "--drop-missing", cwd=tmp_path)
    assert evaluated.returncode == 0 and "5 rows of d.csv" in evaluated.stdout
    predicted = run("predict", "m.json", "d.csv", cwd=tmp_path)
    assert predicted.returncode == 1 and "line 3, column 'b': missing value" in predicted.stderr
    assert run("predict", "m.json", "d.csv", "--drop-missing", cwd=tmp_path).returncode == 2


def test_every_row_missing_is_refused():
    with pytest.raises(ValueError, match="every row has a missing value"):
        parse_csv_text("a,y\nNA,0\n?,1\n", "y", drop_missing=True)


# -------------------------------------------- choosing columns (item 6)

def test_features_and_ignore_choose_the_columns(tmp_path):
    (tmp_path / "t.csv").write_text(table())
    chosen = run("fit", "t.csv", "--target", "passed", "--features", "hours, smoker", "--model", "a.json",
                 cwd=tmp_path)
    assert chosen.returncode == 0, chosen.stderr
    assert json.loads((tmp_path / "a.json").read_text())["feature_names"] == ["hours", "smoker"]
    ignored = run("fit", "t.csv", "--target", "passed", "--ignore", "id,color", "--model", "b.json", cwd=tmp_path)
    assert json.loads((tmp_path / "b.json").read_text())["feature_names"] == ["hours", "smoker"], ignored.stderr
    both = run("fit", "t.csv", "--target", "passed", "--ignore", "id", "--features", "hours", "--model", "c.json",
               cwd=tmp_path)
    assert both.returncode == 2 and "give --features or --ignore, not both" in both.stderr
    unknown = run("fit", "t.csv", "--target", "passed", "--ignore", "nope", "--model", "c.json", cwd=tmp_path)
    assert unknown.returncode == 1 and "no column 'nope' to ignore" in unknown.stderr


def test_a_pandas_index_column_is_left_out_with_ignore(tmp_path):
    (tmp_path / "p.csv").write_text(",hours,passed\n" + "".join(f"{i},{h},{p}\n" for i, (h, p)
                                                                 in enumerate(zip(HOURS, PASSED))))
    refused = run("fit", "p.csv", "--target", "passed", "--model", "m.json", cwd=tmp_path)
    assert refused.returncode == 1 and "saved row index" in refused.stderr and "--ignore ''" in refused.stderr
    accepted = run("fit", "p.csv", "--target", "passed", "--model", "m.json", "--ignore", "", cwd=tmp_path)
    assert accepted.returncode == 0, accepted.stderr


# --------------------------------------------------- delimiters (item 7)

@pytest.mark.parametrize("delimiter, option, note", [
    (";", [], "delimiter ';' detected from the header"),
    ("\t", ["--delimiter", "tab"], None),
    ("\t", ["--delimiter", "\\t"], None),
    ("|", [], "delimiter '|' detected"),
    (";", ["--delimiter", "semicolon"], None),
])
def test_delimiters_are_detected_or_named(tmp_path, delimiter, option, note):
    # Item 7: a semicolon file failed with "no target column 'passed'", and "tab" was refused.
    (tmp_path / "t.csv").write_text(table(delimiter))
    result = run("fit", "t.csv", "--target", "passed", "--ignore", "id", "--model", "m.json", *option, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (f"note: t.csv: {note}" in result.stdout) if note else "detected" not in result.stdout


def test_a_wrong_delimiter_is_a_usage_error_or_a_hint(tmp_path):
    (tmp_path / "t.csv").write_text(table(";"))
    bad = run("fit", "t.csv", "--target", "passed", "--model", "m.json", "--delimiter", "ab", cwd=tmp_path)
    assert bad.returncode == 2 and "argument --delimiter: must be one character or one of" in bad.stderr
    wrong = run("fit", "t.csv", "--target", "passed", "--model", "m.json", "--delimiter", ",", cwd=tmp_path)
    assert wrong.returncode == 1 and "no target column 'passed'" in wrong.stderr


# ---------------------------------------------------- options (item 8)

def test_sgd_options_reach_the_model_and_a_seed_repeats_the_fit(tmp_path):
    # Item 8: --batch-size and --random-state did not exist.
    (tmp_path / "t.csv").write_text(table())
    common = ["fit", "t.csv", "--target", "passed", "--ignore", "id", "--solver", "sgd", "--batch-size", "4",
              "--random-state", "7", "--epochs", "50", "--tol", "0", "--standardize"]
    first = run(*common, "--model", "a.json", cwd=tmp_path)
    second = run(*common, "--model", "b.json", cwd=tmp_path)
    assert first.returncode == 0 and second.returncode == 0, first.stderr
    a, b = (json.loads((tmp_path / name).read_text()) for name in ("a.json", "b.json"))
    assert a["options"]["batch_size"] == 4 and a["options"]["random_state"] == 7
    assert a["coef"] == b["coef"]
    assert run(*common[:-1], "--batch-size", "0", "--model", "c.json", cwd=tmp_path).returncode == 2


def test_penalty_l1_picks_its_solver_and_class_weight_balanced_works(tmp_path):
    (tmp_path / "t.csv").write_text(table())
    l1 = run("fit", "t.csv", "--target", "passed", "--ignore", "id", "--penalty", "l1", "--reg", "0.05",
             "--model", "l1.json", "--standardize", cwd=tmp_path)
    assert l1.returncode == 0, l1.stderr
    assert json.loads((tmp_path / "l1.json").read_text())["options"]["solver"] == "cd"  # coordinate descent
    refused = run("fit", "t.csv", "--target", "passed", "--penalty", "l1", "--solver", "newton", "--model", "x.json",
                  cwd=tmp_path)
    assert refused.returncode == 2 and "--solver newton cannot fit --penalty l1" in refused.stderr
    balanced = run("fit", "t.csv", "--target", "passed", "--ignore", "id", "--class-weight", "balanced",
                   "--reg", "0.1", "--model", "w.json", cwd=tmp_path)
    assert balanced.returncode == 0, balanced.stderr
    assert json.loads((tmp_path / "w.json").read_text())["options"]["class_weight"] == "balanced"
    assert run("fit", "t.csv", "--target", "passed", "--class-weight", "heavy", "--model", "x.json",
               cwd=tmp_path).returncode == 2


def test_summary_standardize_on_a_column_scaled_by_1e8(tmp_path):
    # Item 8: summary blamed the user ("these X and y are not the data the model was fit on").
    rng = random.Random(3)
    rows = []
    for _ in range(40):
        gpa, tuce, psi = rng.uniform(2, 4), rng.randint(12, 28), rng.randint(0, 1)
        z = 3 * (gpa - 3) + 0.1 * (tuce - 20) + 1.5 * psi - 0.8
        rows.append(f"{gpa * 1e8:.6g},{tuce},{psi},{int(rng.random() < 1 / (1 + math.exp(-z)))}\n")
    (tmp_path / "s.csv").write_text("gpa,tuce,psi,grade\n" + "".join(rows))
    plain = run("summary", "s.csv", "--target", "grade", cwd=tmp_path)
    assert plain.returncode == 1 and "summary --standardize" in plain.stderr
    assert "not the data the model was fit on" not in plain.stderr
    standardized = run("summary", "s.csv", "--target", "grade", "--standardize", cwd=tmp_path)
    assert standardized.returncode == 0, standardized.stderr
    assert "per standard deviation" in standardized.stdout and "gpa" in standardized.stdout


# ------------------------------------------- reading row by row (issue 26, point 1)

NUMBER_CELLS = ["1", "-2.5", " 3e2 ", "0", ".5"] * 2 + ["1_000", "inf", "4\u00a0", "\u20033"]
# now and then what float() reads but plain notation does not, and numbers in non-ASCII
# white space (a no-break space, an em space), which are numbers to chapter 29's rules
CATEGORY_CELLS = ["red", "blue", " green", "Blue"]
FLAG_CELLS = ["yes", "no", "Yes"]
MISSING_CELLS = ["", "NA", "?"]


@st.composite
def tables_with_gaps(draw):
    """A CSV table's cells: 1 to 3 feature columns (numbers, categories or flags, with
    missing cells here and there, and a number column's "1_000" or "inf" now and then)
    and a 0/1 target with both classes."""
    n = draw(st.integers(2, 12))
    columns = []
    kinds = st.sampled_from([NUMBER_CELLS, NUMBER_CELLS, CATEGORY_CELLS, FLAG_CELLS])  # tables of numbers: often
    for kind in draw(st.lists(kinds, min_size=1, max_size=3)):
        cells = st.sampled_from(kind) | st.sampled_from(MISSING_CELLS)
        columns.append(draw(st.lists(cells, min_size=n, max_size=n)))
    y = draw(st.lists(st.sampled_from(["0", "1"]), min_size=n, max_size=n).filter(lambda ys: len(set(ys)) == 2))
    return columns, y


def _by_the_rules(columns, y, source):
    """The reference: the rows with a missing cell left out, then chapter 29's
    ``infer_column`` applied to every cell of each column (every column's rule first, as
    chapter 30 does), then ``encode_column``."""
    from logreg_pure.part6_command_line.columns import encode_column, infer_column, is_missing
    kept = [i for i in range(len(y)) if not any(is_missing(column[i]) for column in columns)]
    cells = [[(i + 2, column[i]) for i in kept] for column in columns]
    rules = [infer_column(f"c{j}", column_cells, source) for j, column_cells in enumerate(cells)]
    parts = [encode_column(rule, column_cells, source) for rule, column_cells in zip(rules, cells)]
    names = [name for rule in rules for name in rule.feature_names]
    return [[v for part in row for v in part] for row in zip(*parts)], names, [float(y[i]) for i in kept]


@given(tables_with_gaps())
@example(([["1", "2", "1_000"]], ["0", "1", "1"]))  # after a row of numbers, the quick path must still refuse "1_000"
@example(([["1", "2\u00a0", "inf"]], ["0", "1", "1"]))  # 2 and a no-break space is 2.0, never 0.0; inf still refused
@example(([["red", "blue", "green", "red", "blue"], ["1", "2", "", "3", "4"]], ["0", "1", "0", "1", "0"]))  # green: only on a dropped row
def test_reading_row_by_row_is_the_columns_rules_applied_to_every_cell(table):
    """Law: ``parse_csv_text`` (which reads row by row, keeping each number in an
    ``array('d')`` and each text cell as the code of a level seen once) gives the rows,
    feature names and labels that chapter 29's rules give applied to every cell of each
    column after the rows with a missing cell are dropped; where the rules refuse a column
    (one category left, say), the reader refuses it with the same message.

    Precondition: none. Exact: the cells are read by the same ``float``; indicators are 0.0 and 1.0.
    """
    columns, y = table
    text = ",".join(f"c{j}" for j in range(len(columns))) + ",y\n"
    text += "".join(",".join(column[i] for column in columns) + f",{y[i]}\n" for i in range(len(y)))
    try:
        expected = _by_the_rules(columns, y, "t.csv")
        if not expected[2] or len(set(expected[2])) < 2:
            assume(False)  # every row dropped, or one class left: refused by the labels' rules (tested elsewhere)
    except ValueError as error:
        with pytest.raises(ValueError, match=re.escape(str(error))):
            parse_csv_text(text, "y", source="t.csv", drop_missing=True)
        return
    data = parse_csv_text(text, "y", source="t.csv", drop_missing=True)
    assert (list(data.X), data.feature_names, data.y) == expected
    assert all(column.typecode == "d" for column in data.X.arrays)
