. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on rules pointed at a stage the protocol does not define being
# reported at the 'stage' line, naming the stage.
cp "$EXAMPLE/rules.txt" rules.txt
cat >bad.ini <<'INI'
[review]
title = T
question = Q?
[stage title-abstract]
reviewers = 2

[rules]
file = rules.txt
stage = screening
INI
run protocol check bad.ini
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: bad.ini:9: rules apply at stage 'screening', which the protocol does not define"
expect_err_lines 1

# protocol load reports the same and leaves the review untouched.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(checksum r.db)
run protocol load --db r.db bad.ini
expect_exit 1
expect_not_out 'Loaded'
expect_err "^winnow: bad.ini:9: rules apply at stage 'screening', which the protocol does not define"
expect_err_lines 1
expect_same "checksum" "$(checksum r.db)" "$before"
expect_same "protocol versions" "$(sql r.db 'SELECT count(*) FROM protocol')" 1
