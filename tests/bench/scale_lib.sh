# Shared by the benchmarks over generated reviews (rules.sh, screen.sh):
# sourced after they set bin, root, data (the labelled dedupe sets) and out.

# scale_ris N: the path of a RIS file of N generated records (seed 1),
# made once by make_dedupe_scale.py and kept in $out.
scale_ris() {
    scale_ris_path=$out/scale-$1-s1.ris
    if [ ! -s "$scale_ris_path" ]; then
        python3 "$root/tests/bench/make_dedupe_scale.py" "$1" "$scale_ris_path.tmp" --seed 1 \
            --truth "$out/scale-$1-s1.tsv" --data "$data" >/dev/null 2>&1 &&
            mv "$scale_ris_path.tmp" "$scale_ris_path" || return 1
    fi
    echo "$scale_ris_path"
}

# scale_review DB RIS: a fresh review with the example protocol and the records.
scale_review() {
    rm -f "$1" "$1-wal" "$1-shm"
    "$bin" --db "$1" init --protocol "$root/corpus/social-prescribing/protocol.ini" >/dev/null &&
        "$bin" --db "$1" import --source medline --format ris "$2" >/dev/null 2>&1
}
