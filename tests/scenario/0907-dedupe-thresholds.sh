. "$WINNOW_ROOT/tests/scenario/lib.sh"
# [dedupe] merge_title and review_title in the protocol: checked when the
# protocol is, shown by --explain, recorded with each run, and they move
# what is merged and what is queued.
cat >p.ini <<'INI'
[review]
title = T
question = Q?
[stage title-abstract]
reviewers = 2
[dedupe]
merge_title = 0.98
review_title = 0.95
INI
run init --db strict.db --protocol p.ini
expect_exit 0
run import --db strict.db --source scopus "$WINNOW_ROOT/tests/scenario/data/dedupe-queue.ris"
run dedupe --db strict.db --explain
expect_exit 0
expect_out '^  merge_title = 0\.98$'
expect_out '^  review_title = 0\.95$'
expect_out '^  - title >= 0\.98, authors >= 0\.9, journal >= 0\.75'
expect_out '^  - title >= 0\.98, journal >= 0\.9, same year, volume and whole page range'
expect_out '^  - no authors: title >= 1\.00,'
expect_out '^Sent to review: title >= 0\.98 and authors >= 0\.7'
expect_out '^or title >= 0\.95, authors >= 0\.9, journal >= 0\.8'
run dedupe --db strict.db --quiet
expect_exit 0
expect_same "recorded with the run" "$(sql strict.db "SELECT json_extract(settings, '\$.merge_title') || ' ' || json_extract(settings, '\$.review_title') FROM dedupe_run")" "0.98 0.95"
# the same file with the defaults queues the reworded pair (3 and 4); these
# thresholds leave it apart
run init --db default.db
run import --db default.db --source scopus "$WINNOW_ROOT/tests/scenario/data/dedupe-queue.ris"
run dedupe --db default.db --explain
expect_out '^  merge_title = 0\.95 \(the default\)$'
run dedupe --db default.db --quiet
queued="SELECT group_concat(p.record_a || '-' || p.record_b, ' ') FROM dedupe_pair p JOIN pair_decision d ON d.pair_id = p.id WHERE d.decision = 'queued' ORDER BY p.id"
expect_same "defaults" "$(sql default.db "$queued")" "1-2 5-6 3-4"
expect_same "strict" "$(sql strict.db "$queued")" "1-2 5-6"

# values out of range, or the wrong way round, are refused with their line
cat >bad.ini <<'INI'
[review]
title = T
question = Q?
[dedupe]
merge_title = 1.5
INI
expect_protocol_refused bad.ini "^winnow: bad.ini:5: .*merge_title.* must be a similarity from 0.5 to 1"
cat >bad2.ini <<'INI'
[review]
title = T
question = Q?
[dedupe]
merge_title = 0.9
review_title = 0.92
INI
expect_protocol_refused bad2.ini "^winnow: bad2.ini:6: review_title \(0.92\) is above merge_title \(0.9\)"
