. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on init creating a winnow review file: SQLite, application id
# "WNOW", schema 6, a creation date, and an audit trail that starts with init.
run init --db r.db
expect_exit 0
expect_no_err
expect_out "^Created review 'r.db' \(schema 6\)"
expect_out "winnow protocol load"
[ -f r.db ] || fail "r.db not created"
# 0x574e4f57 = "WNOW" (include/winnow/store.h)
expect_same "application_id" "$(sql r.db 'PRAGMA application_id')" 1464749911
expect_same "user_version" "$(sql r.db 'PRAGMA user_version')" 6
expect_same "protocol rows" "$(sql r.db 'SELECT count(*) FROM protocol')" 0
expect_same "stage rows" "$(sql r.db 'SELECT count(*) FROM stage')" 0
created=$(sql r.db "SELECT value FROM meta WHERE key = 'created_at'")
echo "$created" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' ||
    fail "created_at is '$created'"
expect_same "audit rows" "$(sql r.db "SELECT count(*) FROM audit_log WHERE action <> 'seal'")" 1
expect_same "audit action" "$(sql r.db "SELECT action FROM audit_log WHERE action <> 'seal'")" init
sql r.db "SELECT command FROM audit_log WHERE action <> 'seal'" | grep -q '^winnow init --db r.db$' ||
    fail "audit command is '$(sql r.db 'SELECT command FROM audit_log')'"
sql r.db 'PRAGMA integrity_check' | grep -qx ok || fail "integrity_check failed"
