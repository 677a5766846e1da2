. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a stray word on the command line being refused (exit 2),
# named, rather than ignored.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(checksum r.db)

check() { # cmdname word args...
    cmdname=$1 word=$2; shift 2
    run "$@"
    expect_exit 2
    [ ! -s .out ] || fail "stdout is not empty"
    expect_err "^winnow: $cmdname: unexpected argument '$word'"
    expect_err "^usage: winnow $cmdname "
}
check status extra status --db r.db extra
check init other.db init other.db
check "protocol list" extra protocol list --db r.db extra
check "protocol show" 2 protocol show --db r.db 2
check "protocol load" second.ini protocol load --db r.db "$EXAMPLE/protocol.ini" second.ini
check "protocol check" second.ini protocol check "$EXAMPLE/protocol.ini" second.ini

[ ! -e other.db ] || fail "init created the stray file name"
[ ! -e winnow.db ] || fail "init with a stray argument created winnow.db"
expect_same "r.db checksum" "$(checksum r.db)" "$before"
