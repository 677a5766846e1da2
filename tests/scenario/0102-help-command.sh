. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'winnow help COMMAND' and 'winnow COMMAND --help' giving the
# same usage text, starting "usage: winnow COMMAND".
for c in init status protocol help; do
    run help "$c"
    expect_exit 0
    expect_no_err
    first=$(stdout | head -1)
    case $first in "usage: winnow $c "*) ;; *) fail "help $c starts '$first'" ;; esac
    stdout >via-help.txt
    [ "$c" = help ] && continue
    run "$c" --help
    expect_exit 0
    expect_no_err
    stdout | cmp -s - via-help.txt || fail "'winnow $c --help' differs from 'winnow help $c'"
done
# The option lists name what each command takes.
run help init
expect_out '--protocol FILE'
run help status
expect_out '--format'
run help protocol
for s in load show list check; do
    expect_out "^  $s +[a-z]"
done
