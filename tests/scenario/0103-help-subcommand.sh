. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'winnow help protocol load' and 'winnow protocol load --help'
# (and -h) showing the subcommand's usage.
run help protocol load
expect_exit 0
expect_no_err
first=$(stdout | head -1)
expect_same "first line" "$first" "usage: winnow protocol load [--db FILE] PROTOCOL-FILE"
stdout >a.txt
for opt in --help -h; do
    run protocol load $opt
    expect_exit 0
    expect_no_err
    stdout | cmp -s - a.txt || fail "'protocol load $opt' differs from 'help protocol load'"
done
# --help wins over a missing argument and over a review that does not exist.
run --db nosuch.db protocol show --help
expect_exit 0
expect_out '^usage: winnow protocol show'
expect_out '--version N'
[ ! -e nosuch.db ] || fail "--help created the review"
