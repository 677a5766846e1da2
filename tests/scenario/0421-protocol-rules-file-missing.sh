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
run protocol check bad.ini
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: bad.ini:7: 'file' names a file that does not exist.*'nosuch-rules.txt'"
expect_err_lines 1

# protocol load reports the same and leaves the review untouched.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(checksum r.db)
run protocol load --db r.db bad.ini
expect_exit 1
expect_not_out 'Loaded'
expect_err "^winnow: bad.ini:7: 'file' names a file that does not exist.*'nosuch-rules.txt'"
expect_err_lines 1
expect_same "checksum" "$(checksum r.db)" "$before"
expect_same "protocol versions" "$(sql r.db 'SELECT count(*) FROM protocol')" 1
