. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on an impossible search date (30 February) being reported
# with its line and the value, and the protocol refused.
cat >bad.ini <<'INI'
[review]
title = T
question = Q?

[database medline]
name = MEDLINE
source = file
searched = 2021-02-30
INI
run protocol check bad.ini
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: bad.ini:8: 'searched' must be a date.*'2021-02-30'"
expect_err_lines 1

# protocol load reports the same and leaves the review untouched.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(checksum r.db)
run protocol load --db r.db bad.ini
expect_exit 1
expect_not_out 'Loaded'
expect_err "^winnow: bad.ini:8: 'searched' must be a date.*'2021-02-30'"
expect_err_lines 1
expect_same "checksum" "$(checksum r.db)" "$before"
expect_same "protocol versions" "$(sql r.db 'SELECT count(*) FROM protocol')" 1
