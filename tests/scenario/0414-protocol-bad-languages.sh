. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on review languages written as words instead of ISO 639 codes
# being reported with the line and the value, and the protocol refused.
cat >bad.ini <<'INI'
[review]
title = T
question = Q?
languages = english
INI
run protocol check bad.ini
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: bad.ini:4: 'languages' must be ISO 639 language codes.*'english'"
expect_err_lines 1

# protocol load reports the same and leaves the review untouched.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(checksum r.db)
run protocol load --db r.db bad.ini
expect_exit 1
expect_not_out 'Loaded'
expect_err "^winnow: bad.ini:4: 'languages' must be ISO 639 language codes.*'english'"
expect_err_lines 1
expect_same "checksum" "$(checksum r.db)" "$before"
expect_same "protocol versions" "$(sql r.db 'SELECT count(*) FROM protocol')" 1
