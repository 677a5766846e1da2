. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on an option a command does not take being refused (exit 2),
# naming the command and the option, before anything is read or created.
run init --db r.db
expect_exit 0
before=$(checksum r.db)

check() { # option-text command...
    opt=$1; shift
    run "$@"
    expect_exit 2
    [ ! -s .out ] || fail "stdout is not empty"
    expect_err "^winnow: $cmdname: unknown option '$opt'"
    expect_err "^usage: winnow $cmdname "
}
cmdname=status;         check --bogus status --db r.db --bogus
cmdname=status;         check -z status -z --db r.db
cmdname=init;           check --force init --db new.db --force
cmdname="protocol show"; check -x protocol show --db r.db -x
cmdname="protocol load"; check --dry-run protocol load --db r.db --dry-run "$EXAMPLE/protocol.ini"
cmdname="protocol list"; check --all protocol list --all --db r.db
# check needs no review, so it takes no --db either
cmdname="protocol check"; check --db protocol check --db r.db "$EXAMPLE/protocol.ini"

[ ! -e new.db ] || fail "init with an unknown option created the review"
expect_same "r.db checksum" "$(checksum r.db)" "$before"
expect_same "protocol versions" "$(sql r.db 'SELECT count(*) FROM protocol')" 0
