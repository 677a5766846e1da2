. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on an unknown 'via' (how a source was searched) being
# reported with the line, the allowed values and the value given.
cat >bad.ini <<'INI'
[review]
title = T
question = Q?

[database grey]
name = Grey literature
via = web
INI
run protocol check bad.ini
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: bad.ini:7: 'via' must be one of database, register, website, organisation, citation, other, not 'web'"
expect_err_lines 1

# protocol load reports the same and leaves the review untouched.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(checksum r.db)
run protocol load --db r.db bad.ini
expect_exit 1
expect_not_out 'Loaded'
expect_err "^winnow: bad.ini:7: 'via' must be one of database, register, website, organisation, citation, other, not 'web'"
expect_err_lines 1
expect_same "checksum" "$(checksum r.db)" "$before"
expect_same "protocol versions" "$(sql r.db 'SELECT count(*) FROM protocol')" 1
