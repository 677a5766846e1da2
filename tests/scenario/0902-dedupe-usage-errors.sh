. "$WINNOW_ROOT/tests/scenario/lib.sh"
# Wrong arguments: exit 2 with the usage hint; a record or pair that does
# not exist: exit 1 naming it; the review unchanged either way.
run init --db r.db
run import --db r.db --source x "$EXAMPLE/records/scopus.ris"
audit=$(sql r.db "SELECT count(*) FROM audit_log")
run dedupe --db r.db merge 1
expect_exit 2
run dedupe --db r.db merge 1 x
expect_exit 2
expect_err "must be a number, not 'x'"
run dedupe --db r.db pairs --status maybe
expect_exit 2
run dedupe --db r.db pairs --format csv
expect_exit 2
run dedupe --db r.db decide 1 perhaps
expect_exit 2
run dedupe --db r.db frobnicate
expect_exit 2
run dedupe --db r.db merge 1 999
expect_exit 1
expect_err 'there is no record 999'
run dedupe --db r.db split 1
expect_exit 1
expect_err 'record 1 is not in a cluster'
run dedupe --db r.db decide 42 same
expect_exit 1
expect_err 'there is no pair 42'
run dedupe --db missing.db
expect_exit 1
expect_same "nothing written" "$(sql r.db "SELECT count(*) FROM audit_log")" "$audit"
expect_same "no run" "$(sql r.db "SELECT count(*) FROM dedupe_run")" 0
