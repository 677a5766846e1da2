. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a [review] without its required question being reported
# at the section's line, naming the missing key.
cat >bad.ini <<'INI'
# no question yet
[review]
title = T
type = qualitative evidence synthesis
INI
run protocol check bad.ini
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: bad.ini:2: \\[review\\] needs 'question'$"
expect_err_lines 1

# protocol load reports the same and leaves the review untouched.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(checksum r.db)
run protocol load --db r.db bad.ini
expect_exit 1
expect_not_out 'Loaded'
expect_err "^winnow: bad.ini:2: \\[review\\] needs 'question'$"
expect_err_lines 1
expect_same "checksum" "$(checksum r.db)" "$before"
expect_same "protocol versions" "$(sql r.db 'SELECT count(*) FROM protocol')" 1
