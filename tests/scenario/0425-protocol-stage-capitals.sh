. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a stage name with capitals being reported at its line,
# saying which characters a stage name may use.
cat >bad.ini <<'INI'
[review]
title = T
question = Q?

[stage Full-Text]
reviewers = 2
INI
run protocol check bad.ini
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: bad.ini:5: the name in \\[stage Full-Text\\] must be lower-case letters, digits"
expect_err_lines 1

# protocol load reports the same and leaves the review untouched.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(checksum r.db)
run protocol load --db r.db bad.ini
expect_exit 1
expect_not_out 'Loaded'
expect_err "^winnow: bad.ini:5: the name in \\[stage Full-Text\\] must be lower-case letters, digits"
expect_err_lines 1
expect_same "checksum" "$(checksum r.db)" "$before"
expect_same "protocol versions" "$(sql r.db 'SELECT count(*) FROM protocol')" 1
