. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'winnow status' showing where a fresh review stands: the
# review, its protocol, records, each screening stage and studies, all zero.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run status --db r.db
expect_exit 0
expect_no_err
expect_out '^Review: +r\.db \(schema 6, created [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z\)$'
expect_out '^Protocol: +version 1 \(sha256 [0-9a-f]{12}\): Perceived benefits of social prescribing'
expect_out '^Records: +0 from 0 sources$'
expect_out '^Duplicates: +0 records'
expect_out '^Screening:$'
expect_out '^  title-abstract \(2 reviewers\): 0 reached, 0 screened \(0 included, 0 excluded\), 0 pending$'
expect_out '^  full-text \(2 reviewers\): 0 reached, 0 screened \(0 included, 0 excluded\), 0 pending$'
expect_out '^Studies: +0 '
# Stages come in protocol order.
order=$(stdout | grep -Eo '^  (title-abstract|full-text)' | tr -d ' ' | tr '\n' ' ')
expect_same "stage order" "$order" "title-abstract full-text "
# --format text is the default.
stdout >default.txt
run status --db r.db --format text
expect_exit 0
stdout | cmp -s - default.txt || fail "--format text differs from the default"
