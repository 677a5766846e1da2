. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'protocol load' of an amended protocol storing it as the
# next version, putting its stages in force and recording it in the audit trail.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
cat >v2.ini <<'INI'
[review]
title = Amended review
question = Does it work?

[stage screening]
reviewers = 1
INI
run protocol load --db r.db v2.ini
expect_exit 0
expect_no_err
expect_out "^Loaded protocol version 2 from 'v2.ini' \(sha256 $(checksum v2.ini | cut -c1-12)\): Amended review$"
expect_same "protocol rows" "$(sql r.db 'SELECT count(*) FROM protocol')" 2
expect_same "v2 sha256" "$(sql r.db 'SELECT sha256 FROM protocol WHERE id = 2')" "$(checksum v2.ini)"
expect_same "stages" "$(sql r.db 'SELECT name || ":" || reviewers_required FROM stage')" "screening:1"
expect_same "audit actions" "$(sql r.db 'SELECT action FROM audit_log WHERE action <> "seal" ORDER BY id' | tr '\n' ' ')" \
    "init protocol.load protocol.load "

run status --db r.db
expect_exit 0
expect_out '^Protocol: +version 2 \(sha256 [0-9a-f]{12}\): Amended review$'
expect_out '^  screening \(1 reviewer\): '
expect_not_out 'title-abstract'

# Going back to the first text is a new version too: the history is kept.
run protocol load --db r.db "$EXAMPLE/protocol.ini"
expect_exit 0
expect_out '^Loaded protocol version 3 '
expect_same "protocol rows" "$(sql r.db 'SELECT count(*) FROM protocol')" 3
