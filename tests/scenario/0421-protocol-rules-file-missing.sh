. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a rules file that does not exist being reported once, at
# the 'file' line, naming the file (and not as if no file had been given).
cat >bad.ini <<'INI'
[review]
title = T
question = Q?
[stage title-abstract]
reviewers = 2
[rules]
file = nosuch-rules.txt
stage = title-abstract
INI
expect_protocol_refused bad.ini "^winnow: bad.ini:7: 'file' names a file that does not exist.*'nosuch-rules.txt'"
