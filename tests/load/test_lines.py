from sockpuppet.load.lines import accepted_before, newlines_through, physical_lines, true_records


def test_accepted_ordinals_skip_rejected_records():
    # Records 1..7; 2 and 5 were rejected by the CSV reader.
    assert true_records([1, 2, 3, 4, 5], [2, 5]) == {1: 1, 2: 3, 3: 4, 4: 6, 5: 7}
    assert accepted_before([1, 2, 3, 6, 7], [2, 5]) == [0, 1, 1, 3, 4]


def test_lines_count_newlines_inside_earlier_records():
    # Record 1 spans 3 lines (2 newlines inside); record 2 was rejected and spans 2 lines.
    accepted_newlines = {1: 2, 2: 2, 3: 2}  # through accepted records 1..k
    lines = physical_lines([2, 3, 4], rejected={2: 1}, accepted_newlines=accepted_newlines)
    # header=1, record1=2-4, record2=5-6, record3=7, record4=8
    assert lines == {2: 5, 3: 7, 4: 8}


def test_newlines_through_sums_the_multiline_records_up_to_each_ordinal():
    # Accepted records 2 and 5 hold 1 and 3 newlines; every other record is one line.
    spans = [(2, 1), (5, 3)]
    assert newlines_through([1, 2, 4, 5, 9], spans) == {1: 0, 2: 1, 4: 1, 5: 4, 9: 4}
    assert newlines_through([3], []) == {3: 0}
