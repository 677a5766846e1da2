. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'winnow --version' (and -V) printing one line "winnow X.Y.Z".
for opt in --version -V; do
    run $opt
    expect_exit 0
    expect_no_err
    expect_out '^winnow [0-9]+\.[0-9]+\.[0-9]+$'
    n=$(stdout | wc -l)
    expect_same "lines printed by $opt" "$n" 1
done
# The version wins even when a command follows, and nothing is created.
run --version init
expect_exit 0
expect_out '^winnow [0-9]+\.[0-9]+\.[0-9]+$'
[ ! -e winnow.db ] || fail "--version init created winnow.db"
