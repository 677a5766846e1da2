. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on --stage without --where (or with --where all) being a
# usage error (exit 2): the stage only means something for included,
# excluded or pending.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run import --db r.db "$EXAMPLE/records/scopus.ris"
expect_exit 0
for args in "--stage title-abstract" "--where all --stage full-text"; do
    # shellcheck disable=SC2086
    run export --db r.db $args -o out.ris
    expect_exit 2
    [ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty for '$args'"
    expect_err '^winnow: export: --stage needs --where included, excluded or pending$'
    expect_err '^usage: winnow export '
    expect_err_lines 3
    [ ! -e out.ris ] || fail "out.ris was written for '$args'"
done
