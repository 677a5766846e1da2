. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a misspelt key being reported with its line, its section
# and the key it probably meant, and the protocol refused.
cat >bad.ini <<'INI'
[review]
title = T
question = Q?

[stage title-abstract]
reviwers = 2
INI
expect_protocol_refused bad.ini "^winnow: bad.ini:6: unknown key 'reviwers' in \\[stage title-abstract\\] \\(did you mean 'reviewers'\\?\\)$"
