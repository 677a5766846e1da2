. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'protocol check' validating a protocol file without any
# review: "ok" for a good one, with its title, stages and databases.
run protocol check "$EXAMPLE/protocol.ini"
expect_exit 0
expect_no_err
expect_out "^$EXAMPLE/protocol.ini: ok \(sha256 $(checksum "$EXAMPLE/protocol.ini" | cut -c1-12)\)$"
expect_out '^  title: Perceived benefits of social prescribing'
expect_out '^  stages: title-abstract \(2 reviewers, 5 reasons\), full-text \(2 reviewers, 5 reasons\)$'
expect_out '^  databases: 4$'
[ ! -e winnow.db ] || fail "protocol check created winnow.db"
# It ignores --db and $WINNOW_DB: no review is opened or needed.
WINNOW_DB=nosuch.db run protocol check "$EXAMPLE/protocol.ini"
expect_exit 0
[ ! -e nosuch.db ] || fail "protocol check created nosuch.db"
