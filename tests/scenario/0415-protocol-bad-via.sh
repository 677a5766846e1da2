. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on an unknown 'via' (how a source was searched) being
# reported with the line, the allowed values and the value given.
cat >bad.ini <<'INI'
[review]
title = T
question = Q?

[database grey]
name = Grey literature
via = web
INI
expect_protocol_refused bad.ini "^winnow: bad.ini:7: 'via' must be one of database, register, website, organisation, citation, other, not 'web'"
