# Helpers for scenario tests that talk to the loopback mock of E-utilities,
# Europe PMC, arXiv and Crossref (tests/mock/mock_api.py). Source after lib.sh:
#
#   . "$WINNOW_ROOT/tests/scenario/lib.sh"
#   . "$WINNOW_ROOT/tests/scenario/mock.sh"
#   mock_start                     # or: mock_start my-config.json
#   mock_fault '{"service":"eutils","endpoint":"efetch.fcgi","kind":"500"}'
#   run search pubmed --db r.db 'social prescribing'
#   [ "$(mock_count eutils '' 429)" = 0 ] || fail "the client provoked a 429"
#
# mock_start exports WINNOW_EUTILS_URL, WINNOW_EUROPEPMC_URL, WINNOW_ARXIV_URL
# and WINNOW_CROSSREF_URL (all ending in /) and sets MOCK_URL; the mock is
# stopped, and waited for, when the case exits.
#
#   mock_config JSON|FILE    replace the datasets (same shape as the config file)
#   mock_add JSON            {"service":"pubmed","query":"Q","count":N}: new records
#   mock_fault JSON          {"service":..,"endpoint":..,"kind":..,"skip":0,"count":1}
#   mock_clear_faults        forget every fault
#   mock_reset               log, faults, added records, WebEnvs, rate windows
#   mock_expire              every WebEnv becomes unknown
#   mock_log                 the request log (JSON array)
#   mock_count [SERVICE [ENDPOINT [STATUS]]]   how many logged requests match
#   mock_min_gap SERVICE [ENDPOINT]            smallest gap between two of them (s)
#   mock_ctl METHOD PATH [JSON]                any control request

MOCK_PY=$WINNOW_ROOT/tests/mock/mock_api.py
MOCK_PID=
MOCK_URL=

mock_stop() {
    if [ -n "$MOCK_PID" ]; then
        kill "$MOCK_PID" 2>/dev/null
        wait "$MOCK_PID" 2>/dev/null
        MOCK_PID=
    fi
}

# Run mock_stop before whatever EXIT trap is set already (lib.sh's removes
# $CASE_TMP). dash does not report traps inside $(...), hence the file.
_mock_chain_exit_trap() {
    trap >"$CASE_TMP/.mock-traps"
    _mock_prev_exit=
    _mock_grab() { [ "$1" = -- ] && shift; [ "${2:-}" = EXIT ] && _mock_prev_exit=$1; return 0; }
    eval "$(sed 's/^trap /_mock_grab /' "$CASE_TMP/.mock-traps")"
    rm -f "$CASE_TMP/.mock-traps"
    # shellcheck disable=SC2064
    trap "mock_stop; $_mock_prev_exit" EXIT
}

mock_start() { # [CONFIG_FILE]
    [ -z "$MOCK_PID" ] || fail "mock_start: the mock is running already"
    _mock_cfg=${1:-}
    rm -f "$CASE_TMP/.mock-port"
    _mock_chain_exit_trap
    set -- --port 0 --port-file "$CASE_TMP/.mock-port"
    [ -d "$SHARED_DATA" ] && set -- "$@" --shared-data "$SHARED_DATA"
    [ -n "$_mock_cfg" ] && set -- "$@" --config "$_mock_cfg"
    python3 "$MOCK_PY" "$@" >"$CASE_TMP/.mock-out" 2>&1 &
    MOCK_PID=$!
    _mock_i=0
    while [ ! -s "$CASE_TMP/.mock-port" ]; do
        if ! kill -0 "$MOCK_PID" 2>/dev/null; then
            cat "$CASE_TMP/.mock-out"
            MOCK_PID=
            fail "mock_start: the mock exited before listening"
        fi
        _mock_i=$((_mock_i + 1))
        if [ "$_mock_i" -gt 100 ]; then
            cat "$CASE_TMP/.mock-out"
            fail "mock_start: no port after 10 s"
        fi
        sleep 0.1
    done
    MOCK_URL=http://127.0.0.1:$(cat "$CASE_TMP/.mock-port")
    export WINNOW_EUTILS_URL=$MOCK_URL/entrez/eutils/
    export WINNOW_EUROPEPMC_URL=$MOCK_URL/europepmc/webservices/rest/
    export WINNOW_ARXIV_URL=$MOCK_URL/api/
    export WINNOW_CROSSREF_URL=$MOCK_URL/
}

mock_ctl() { # METHOD PATH [JSON|FILE]
    [ -n "$MOCK_URL" ] || fail "mock_ctl: mock_start first"
    python3 "$MOCK_PY" ctl "$MOCK_URL" "$@" || fail "mock control request failed: $*"
}

mock_config() { mock_ctl POST /_mock/config "$1" >/dev/null; }
mock_add() { mock_ctl POST /_mock/add "$1"; }
mock_fault() { mock_ctl POST /_mock/fault "$1" >/dev/null; }
mock_clear_faults() { mock_ctl DELETE /_mock/faults >/dev/null; }
mock_reset() { mock_ctl POST /_mock/reset >/dev/null; }
mock_expire() { mock_ctl POST /_mock/expire >/dev/null; }
mock_log() { mock_ctl GET /_mock/log; }

mock_count() { # [SERVICE [ENDPOINT [STATUS]]]   ('' = any)
    set -- "${1:-}" "${2:-}" "${3:-}"
    _mock_sel=
    [ -n "$1" ] && _mock_sel="$_mock_sel --service $1"
    [ -n "$2" ] && _mock_sel="$_mock_sel --endpoint $2"
    [ -n "$3" ] && _mock_sel="$_mock_sel --status $3"
    # shellcheck disable=SC2086
    mock_ctl count $_mock_sel
}

mock_min_gap() { # SERVICE [ENDPOINT]
    if [ -n "${2:-}" ]; then
        mock_ctl gap --service "$1" --endpoint "$2"
    else
        mock_ctl gap --service "$1"
    fi
}
