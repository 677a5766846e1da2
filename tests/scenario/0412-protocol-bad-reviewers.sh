. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a reviewer count that is not a number being reported with
# its line and the value, and the protocol refused.
cat >bad.ini <<'INI'
[review]
title = T
question = Q?

[stage title-abstract]
reviewers = two
label = Title and abstract
INI
expect_protocol_refused bad.ini "^winnow: bad.ini:6: 'reviewers' must be a whole number.*'two'"
