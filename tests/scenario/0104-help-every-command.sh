. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on --help, -h and 'winnow help ...' working for every command
# and subcommand that 'winnow help' lists, with exit 0 and the usage on stdout.
run help
expect_exit 0
commands=$(stdout | sed -n '/^commands:/,/^$/p' | awk 'NF && $1 != "commands:" {print $1}')
[ -n "$commands" ] || fail "'winnow help' lists no commands"
all=
for c in $commands; do
    all="$all|$c"
    run help "$c"
    expect_exit 0
    subs=$(stdout | sed -n '/^subcommands:/,/^$/p' | awk 'NF && $1 != "subcommands:" {print $1}')
    for s in $subs; do
        all="$all|$c $s"
    done
done
case $all in *"|protocol load"*"|protocol check"*) ;; *) fail "subcommands missing: $all" ;; esac

IFS='|'
for cmd in ${all#|}; do
    IFS=' '
    for form in --help -h help; do
        if [ "$form" = help ]; then
            # shellcheck disable=SC2086
            run help $cmd
        else
            # shellcheck disable=SC2086
            run $cmd $form
        fi
        expect_exit 0
        expect_no_err
        first=$(stdout | head -1)
        case $first in
        "usage: winnow $cmd "*) ;;
        *) fail "'$cmd' with $form: first line is '$first'" ;;
        esac
    done
    IFS='|'
done
IFS=' '
[ ! -e winnow.db ] || fail "asking for help created winnow.db"
