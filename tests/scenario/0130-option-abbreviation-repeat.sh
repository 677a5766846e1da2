. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user's scripts rely on options being spelt in full (an abbreviation that
# works today would break when another option is added), and on an option
# given twice being an error rather than the last one silently winning.
run init --db r.db
expect_exit 0
run status --db r.db --form json
expect_exit 2
expect_err "^winnow: status: unknown option '--form' \(did you mean '--format'\?\)"
run status --d r.db
expect_exit 2
expect_err "unknown option '--d'"
run status --db r.db --format json --format text
expect_exit 2
expect_err "^winnow: status: option '--format' is given twice"
run status --db r.db --db other.db
expect_exit 2
expect_err "option '--db' is given twice"
run --db r.db --db other.db status
expect_exit 2
expect_err "option '--db' is given twice"
run status --db=
expect_exit 2
expect_err "option '--db' needs a file name"
run --db= status
expect_exit 2
expect_err "option '--db' needs a file name"
run protocol --db r.db show
expect_exit 2
expect_err "options come after the subcommand"
# the full spellings still work, in both forms
run status --db=r.db --format=json
expect_exit 0
expect_out '"schema": 6'
