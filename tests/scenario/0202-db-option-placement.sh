. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on --db FILE working before or after the command, as
# --db=FILE too, and winning over $WINNOW_DB.
run --db before.db init
expect_exit 0
[ -f before.db ] || fail "--db before the command: no before.db"
run init --db after.db
expect_exit 0
[ -f after.db ] || fail "--db after the command: no after.db"
run init --db=equals.db
expect_exit 0
[ -f equals.db ] || fail "--db=FILE: no equals.db"
run --db=global-equals.db init
expect_exit 0
[ -f global-equals.db ] || fail "global --db=FILE: no global-equals.db"
[ ! -e winnow.db ] || fail "winnow.db was created"

WINNOW_DB=env.db
export WINNOW_DB
run status --db after.db
expect_exit 0
expect_out '^Review: +after.db '
run --db before.db status
expect_exit 0
expect_out '^Review: +before.db '
run protocol load "$EXAMPLE/protocol.ini" --db after.db
expect_exit 0
expect_same "after.db versions" "$(sql after.db 'SELECT count(*) FROM protocol')" 1
expect_same "before.db versions" "$(sql before.db 'SELECT count(*) FROM protocol')" 0
[ ! -e env.db ] || fail "env.db was used although --db was given"
