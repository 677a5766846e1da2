. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on the route a protocol gives a database (any PRISMA route,
# 'other' included) being the route its imports are recorded under, and
# on the protocol's search date of a month only being kept as written.
cat >p.ini <<'INI'
[review]
title = Routes
question = Are routes kept?

[database handsearch]
name = Hand search of conference programmes
source = file
via = other
searched = 2021-04
INI
run init --db r.db --protocol p.ini
expect_exit 0
run import --db r.db --source handsearch "$EXAMPLE/records/scopus.ris"
expect_exit 0
expect_out '; via other; '
expect_same "via and date" "$(sql r.db 'SELECT via || " " || searched_on FROM import_file')" "other 2021-04"
