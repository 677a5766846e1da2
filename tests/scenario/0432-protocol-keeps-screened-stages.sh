. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a new protocol version not silently dropping a stage at
# which reviewers have already screened: their decisions would vanish from
# every count. The load is refused and the review left as it was.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
add_import r.db 1 MEDLINE 1
add_decision r.db 1 title-abstract ann include
cat >new.ini <<'INI'
[review]
title = Renamed stages
question = Q?
[stage screening]
reviewers = 1
INI
before=$(checksum r.db)
run protocol load --db r.db new.ini
expect_exit 1
expect_err "^winnow: new.ini: the review has 1 decision at stage 'title-abstract'"
expect_err_lines 1
expect_same "checksum" "$(checksum r.db)" "$before"
expect_same "versions" "$(sql r.db 'SELECT count(*) FROM protocol')" "1"

# keeping the stage (and adding one) is fine
cat >ok.ini <<'INI'
[review]
title = More stages
question = Q?
[stage title-abstract]
[stage full-text]
[stage data-extraction]
reviewers = 1
INI
run protocol load --db r.db ok.ini
expect_exit 0
expect_same "stages" "$(sql r.db 'SELECT group_concat(name, ",") FROM (SELECT name FROM stage ORDER BY position)')" "title-abstract,full-text,data-extraction"
