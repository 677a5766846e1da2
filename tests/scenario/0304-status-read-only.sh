. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on status, protocol show and protocol list working on a
# read-only review (an archived or submitted one), leaving no files behind.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
chmod a-w r.db
before=$(checksum r.db)
listing=$(ls -A)

run status --db r.db
expect_exit 0
expect_no_err
expect_out '^Protocol: +version 1 '
expect_out '^  title-abstract \(2 reviewers\)'
run status --db r.db --format json
expect_exit 0
stdout | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["protocol"]["version"] == 1' ||
    fail "status JSON on a read-only review"
run protocol show --db r.db
expect_exit 0
stdout | cmp -s - "$EXAMPLE/protocol.ini" || fail "protocol show differs from the file"
run protocol list --db r.db
expect_exit 0
expect_out '^ +1  '

expect_same "checksum" "$(checksum r.db)" "$before"
expect_same "files" "$(ls -A)" "$listing"

# The same in a read-only folder, where no side file could even be created,
# with a name that needs escaping in a SQLite URI.
mkdir ro
cp r.db 'ro/my review?#%1.db'
chmod a-w ro 'ro/my review?#%1.db'
run status --db 'ro/my review?#%1.db'
expect_exit 0
expect_no_err
expect_out '^Review: +ro/my review\?#%1\.db '
expect_same "read-only folder" "$(ls -A ro)" 'my review?#%1.db'
