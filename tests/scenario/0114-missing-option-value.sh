. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on an option given without its value being a usage error
# (exit 2) naming the option, not a run with a guessed value.
run init --db r.db
expect_exit 0

check() { # cmdname option args...
    cmdname=$1 opt=$2; shift 2
    run "$@"
    expect_exit 2
    [ ! -s .out ] || fail "stdout is not empty"
    expect_err "^winnow: $cmdname: option '$opt' needs a value"
    expect_err "^usage: winnow $cmdname "
}
check status --format status --db r.db --format
check status -f status --db r.db -f
check init --protocol init --db new.db --protocol
check "protocol show" --version protocol show --db r.db --version
check "protocol list" --format protocol list --db r.db --format
check status --db status --db
[ ! -e new.db ] || fail "init --protocol without a value created the review"
