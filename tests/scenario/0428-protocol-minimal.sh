. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a protocol with only a title and a question being valid,
# with the two default screening stages of two reviewers each.
printf '[review]\ntitle = A small review\nquestion = Does it help?\n' >p.ini
run protocol check p.ini
expect_exit 0
expect_no_err
expect_out '^p.ini: ok '
expect_out 'title-abstract \(2 reviewers, 0 reasons\), full-text \(2 reviewers, 0 reasons\)'
run init --db r.db --protocol p.ini
expect_exit 0
expect_same "stages" "$(sql r.db 'SELECT name || ":" || reviewers_required FROM stage ORDER BY position' | tr '\n' ' ')" \
    "title-abstract:2 full-text:2 "
run status --db r.db
expect_exit 0
expect_out '^Protocol: +version 1 \(sha256 [0-9a-f]{12}\): A small review$'
