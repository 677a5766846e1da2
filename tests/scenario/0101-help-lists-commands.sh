. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'winnow help' (and --help, -h) listing every command.
for args in help --help -h; do
    run $args
    expect_exit 0
    expect_no_err
    expect_out '^usage: winnow '
    for c in init protocol status help; do
        expect_out "^  $c +[a-z]"
    done
    expect_out '--db FILE'
    expect_out '--version'
done
[ ! -e winnow.db ] || fail "help created winnow.db"
