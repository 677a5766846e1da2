. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on init refusing a --db that is a directory, leaving it alone.
mkdir review.db
touch review.db/keep
run init --db review.db
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: 'review.db' is a directory"
expect_err_lines 1
[ -d review.db ] || fail "review.db is no longer a directory"
expect_same "directory contents" "$(ls -A review.db)" keep
