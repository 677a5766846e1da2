. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a key written before any section being reported with its
# line, not silently dropped.
cat >bad.ini <<'INI'
# my protocol
title = T
[review]
title = T
question = Q?
INI
expect_protocol_refused bad.ini "^winnow: bad.ini:2: 'title' is outside any section"
