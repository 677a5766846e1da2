. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a key set twice (where only one value makes sense) being
# reported at the second line, pointing back to the first.
cat >bad.ini <<'INI'
[review]
title = T
question = Q?
[stage title-abstract]
reviewers = 2
reviewers = 3
INI
expect_protocol_refused bad.ini "^winnow: bad.ini:6: 'reviewers' is already set on line 5"
