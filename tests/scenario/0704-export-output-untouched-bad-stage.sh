. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on an export naming a stage the protocol does not have
# failing (exit 1) with the stage named, and leaving the -o FILE from an
# earlier export as it was.
R=$EXAMPLE/records
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run import --db r.db "$R/scopus.ris"
expect_exit 0
run export --db r.db -o out.ris
expect_exit 0
before=$(checksum out.ris)
for where in included excluded pending; do
    run export --db r.db --where $where --stage nosuch -o out.ris
    expect_exit 1
    [ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
    expect_err "^winnow: no stage 'nosuch' in the review's protocol$"
    expect_err_lines 1
    expect_same "out.ris untouched ($where)" "$(checksum out.ris)" "$before"
done
expect_same "files" "$(ls | tr '\n' ' ')" "out.ris r.db "
