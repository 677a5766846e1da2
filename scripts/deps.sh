#!/bin/sh
# Install the Debian packages winnow builds and tests with, if any are missing.
#
# Called by `make demo`, `make test` and `make check` so that a fresh clone on
# a fresh Debian machine needs nothing but one of those commands. It is a
# no-op when everything is present; it runs `apt-get update` at most once and
# installs only what is missing. Without root it says what to install instead.
#
# Usage: scripts/deps.sh [build|test|bench]   (test adds the tools the tests
# drive, bench the peers the benchmarks compare with)
set -eu

build_pkgs="pkg-config libcurl4-openssl-dev libxml2-dev libpcre2-dev libsqlite3-dev
libutf8proc-dev libjansson-dev libcsv-dev libssl-dev libncurses-dev"
# cmocka for unit tests; the sqlite3 shell lets scenario tests inspect and
# tamper with review files the way a user behind winnow's back would;
# python3 checks JSON output in scenario tests; tmux is the real terminal
# the screens are driven in; rsvg-convert renders the PRISMA diagram, and
# python3-pil measures its text in DejaVu Sans to prove nothing is clipped.
test_pkgs="libcmocka-dev sqlite3 python3 tmux librsvg2-bin fonts-dejavu-core python3-pil"

# the peers `make bench` measures winnow against, and /usr/bin/time
# (citation-js comes from npm when npm is there); sqlite3 and tmux for
# the rules and screening benchmarks
bench_pkgs="ncbi-entrez-direct python3-biopython python3-sklearn time sqlite3 tmux"

want=$build_pkgs
[ "${1:-build}" = test ] && want="$build_pkgs $test_pkgs"
[ "${1:-build}" = bench ] && want="$build_pkgs $bench_pkgs"

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps: not a Debian system; make sure these are installed: $want" >&2
    exit 0
fi

missing=
for p in $want; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing Debian packages:$missing" >&2
    echo "deps: run as root: apt-get install$missing" >&2
    exit 1
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
