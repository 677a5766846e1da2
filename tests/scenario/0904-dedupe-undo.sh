. "$WINNOW_ROOT/tests/scenario/lib.sh"
# 'dedupe undo PAIR' takes back a person's decision: the decision before it
# is recorded again, and the clusters it joined come apart as they were
# (two clusters of several records each), with every decision kept.
R=$EXAMPLE/records
review_with_examples r.db
run import --db r.db --source grey-literature "$R/grey-literature.bib"
run dedupe --db r.db --quiet
expect_exit 0
cluster_of() { sql r.db "SELECT coalesce(cluster_id, 0) FROM record r LEFT JOIN cluster_member m ON m.record_id = r.id WHERE r.id = $1"; }
members() { sql r.db "SELECT group_concat(record_id, ' ') FROM (SELECT record_id FROM cluster_member WHERE cluster_id = $1 ORDER BY record_id)"; }
# the report of W01 in three records, and its thesis (related, not merged)
related=$(sql r.db "SELECT id FROM dedupe_pair p WHERE (SELECT decision FROM pair_decision WHERE pair_id = p.id ORDER BY id DESC LIMIT 1) = 'related' ORDER BY id LIMIT 1")
a=$(sql r.db "SELECT record_a FROM dedupe_pair WHERE id = $related")
b=$(sql r.db "SELECT record_b FROM dedupe_pair WHERE id = $related")
w01=$(members "$(cluster_of "$a")")
[ "$(cluster_of "$b")" = 0 ] || fail "record $b should be alone"
# give the thesis a cluster of its own: two clusters of two or more
other=$(sql r.db "SELECT min(record_id) FROM cluster_member WHERE cluster_id <> $(cluster_of "$a")")
run dedupe --db r.db merge "$b" "$other"
expect_exit 0
second=$(members "$(cluster_of "$b")")
# a person says the pair is the same: one cluster of all
WINNOW_REVIEWER=dana run dedupe --db r.db decide "$related" same
expect_exit 0
expect_same "joined" "$(cluster_of "$a")" "$(cluster_of "$b")"
# and takes it back
WINNOW_REVIEWER=dana run dedupe --db r.db undo "$related" --reason "misread the thesis"
expect_exit 0
expect_out "^Pair $related: the last decision is taken back$"
expect_same "first cluster as it was" "$(members "$(cluster_of "$a")")" "$w01"
expect_same "second cluster as it was" "$(members "$(cluster_of "$b")")" "$second"
[ "$(cluster_of "$a")" != "$(cluster_of "$b")" ] || fail "the clusters are still one"
expect_same "decisions kept" "$(sql r.db "SELECT group_concat(decision || '/' || actor, ' ') FROM (SELECT decision, actor FROM pair_decision WHERE pair_id = $related ORDER BY id)")" \
    "related/auto duplicate/dana related/dana"
expect_same "audited with the reason" "$(sql r.db "SELECT actor || ': ' || json_extract(details, '\$.reason') FROM audit_log WHERE action = 'dedupe.undo'")" \
    "dana: misread the thesis"
expect_same "primary in its cluster" "$(sql r.db "SELECT count(*) FROM dedupe_cluster c WHERE NOT EXISTS (SELECT 1 FROM cluster_member m WHERE m.cluster_id = c.id AND m.record_id = c.primary_record_id)")" 0
expect_same "no cluster of one" "$(sql r.db "SELECT count(*) FROM (SELECT cluster_id FROM cluster_member GROUP BY cluster_id HAVING count(*) < 2)")" 0
# nothing by a person to take back; made by hand; no such pair
before=$(checksum r.db)
auto=$(sql r.db "SELECT min(pair_id) FROM pair_decision WHERE actor = 'auto' AND pair_id NOT IN (SELECT pair_id FROM pair_decision WHERE actor <> 'auto')")
run dedupe --db r.db undo "$auto"
expect_exit 1
expect_err "pair $auto has no decision by a person to undo"
manual=$(sql r.db "SELECT p.id FROM dedupe_pair p WHERE p.record_a = min($b, $other) AND p.record_b = max($b, $other)")
run dedupe --db r.db undo "$manual"
expect_exit 1
expect_err "was made by hand"
run dedupe --db r.db undo 999
expect_exit 1
expect_err 'there is no pair 999'
run dedupe --db r.db undo
expect_exit 2
expect_same "unchanged by refusals" "$(checksum r.db)" "$before"
