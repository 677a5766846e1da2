. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a section that appears twice being reported at its second
# line, pointing back to the first.
cat >bad.ini <<'INI'
[review]
title = T
question = Q?
[stage full-text]
reviewers = 2

[stage full-text]
reviewers = 1
INI
expect_protocol_refused bad.ini "^winnow: bad.ini:7: section \\[stage full-text\\] appears again \\(first on line 4\\)"
