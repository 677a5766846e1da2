# libcurl is loaded on the first request, not at start: without it, the
# commands that go on the network fail with a clear message and touch
# nothing, and every other command works.
. "$WINNOW_ROOT/tests/scenario/lib.sh"
run init --db r.db
before=$(sql r.db 'SELECT count(*) FROM audit_log')
WINNOW_LIBCURL=/nonexistent/libcurl.so.4 run search pubmed --db r.db 'social prescribing'
expect_exit 1
expect_err '^winnow: cannot go on the network without libcurl \(on Debian: apt-get install libcurl4\): /nonexistent/libcurl.so.4'
expect_same "no search run" "$(sql r.db 'SELECT count(*) FROM search_run')" 0
expect_same "nothing written" "$(sql r.db 'SELECT count(*) FROM audit_log')" "$before"
# a library that is not libcurl says which function it lacks
WINNOW_LIBCURL=libz.so.1 run search pubmed --db r.db 'social prescribing'
expect_exit 1
expect_err 'the libcurl found lacks curl_global_init'
# reading files needs no libcurl
WINNOW_LIBCURL=/nonexistent/libcurl.so.4 run import --db r.db "$WINNOW_ROOT/tests/golden/ris/ebsco.ris"
expect_exit 0
expect_out "stored 1"
# nor is it among the libraries the program starts with
expect_same "libcurl not linked" "$(ldd "$WINNOW" | grep -c libcurl)" 0
