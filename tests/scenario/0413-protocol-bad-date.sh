. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on an impossible search date (30 February) being reported
# with its line and the value, and the protocol refused.
cat >bad.ini <<'INI'
[review]
title = T
question = Q?

[database medline]
name = MEDLINE
source = file
searched = 2021-02-30
INI
expect_protocol_refused bad.ini "^winnow: bad.ini:8: 'searched' must be a date.*'2021-02-30'"
