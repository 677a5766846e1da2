. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a line that is neither 'key = value', a section nor a
# comment being reported with its line number.
cat >bad.ini <<'INI'
[review]
title = T
question = Q?
registration PROSPERO CRD42099000001
INI
expect_protocol_refused bad.ini "^winnow: bad.ini:4: expected 'key = value', '\\[section\\]' or a comment"
