. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'import' keeping every record of a damaged RIS file (a
# record without ER, one without TY, a stray ER, a truncated last record),
# warning about each problem on stderr as FILE:LINE, and exiting 0 with the
# warnings counted in the summary.
run init --db r.db
expect_exit 0
cat >bad.ris <<'RIS'
TY  - JOUR
TI  - One, complete
AU  - Smith, John
PY  - 2020
ER  - 

TY  - JOUR
TI  - Two, without ER
PY  - 2021

TY  - JOUR
TI  - Three, complete
ER  - 

TI  - Four, without TY
AU  - Doe, Jane
ER  - 

ER  - 
TY  - JOUR
TI  - Five, truncated
AU  - Roe, Richard
RIS
run import --db r.db bad.ris --source lib
expect_exit 0
expect_out '^Imported bad.ris as import 1: 5 records from lib \(ris; utf-8, lf line endings\)$'
expect_out '^  read 5, stored 5, warnings 4; '
expect_err '^winnow: warning: bad.ris:7: record has no ER line; a new record starts at line 11$'
expect_err '^winnow: warning: bad.ris:15: record starts with TI, not TY; read as a record of unknown type$'
expect_err '^winnow: warning: bad.ris:19: ER with no record open; ignored$'
expect_err '^winnow: warning: bad.ris:20: last record has no ER line$'
expect_err_lines 4
expect_same "records" "$(sql r.db 'SELECT position || ":" || line || ":" || title || ":" || coalesce(type, "NULL") FROM record ORDER BY id')" \
"1:1:One, complete:journal-article
2:7:Two, without ER:journal-article
3:11:Three, complete:journal-article
4:15:Four, without TY:NULL
5:20:Five, truncated:journal-article"
expect_same "authors" "$(sql r.db 'SELECT authors FROM record WHERE position IN (4, 5) ORDER BY id' | tr '\n' ' ')" \
    '["Doe, Jane"] ["Roe, Richard"] '
expect_same "records_count" "$(sql r.db 'SELECT records_count FROM import_file')" 5
expect_same "audit" "$(sql r.db "SELECT count(*) FROM audit_log WHERE action = 'import'")" 1
