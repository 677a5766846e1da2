. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a misspelt section name being reported with its line and
# the section it probably meant, and the protocol refused.
cat >bad.ini <<'INI'
[review]
title = T
question = Q?

[reveiw]
type = qualitative
INI
expect_protocol_refused bad.ini "^winnow: bad.ini:5: unknown section \\[reveiw\\] \\(did you mean \\[review\\]\\?\\)$"
