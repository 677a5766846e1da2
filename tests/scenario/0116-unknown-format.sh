. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on an unknown --format being refused (exit 2), naming the
# value and the formats there are.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0

check() { # cmdname value args...
    cmdname=$1 value=$2; shift 2
    run "$@"
    expect_exit 2
    [ ! -s .out ] || fail "stdout is not empty"
    expect_err "^winnow: $cmdname: unknown format '$value' \(use text, json\)"
    expect_err "^usage: winnow $cmdname "
}
check status xml status --db r.db --format xml
check status JSON status --db r.db --format=JSON
check "protocol list" csv protocol list --db r.db --format csv
check "protocol show" yaml protocol show --db r.db -f yaml
# Formats are checked before the review: a missing review is not mentioned.
check status xml status --db nosuch.db --format xml
[ ! -e nosuch.db ] || fail "created nosuch.db"
