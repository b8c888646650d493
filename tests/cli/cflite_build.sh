#!/bin/bash
# tests/cli/cflite_build.sh — .clusterfuzzlite/build.sh run locally with the
# environment OSS-Fuzz and ClusterFuzzLite set (no Docker): CC=clang,
# CFLAGS="-fsanitize=address,fuzzer-no-link -g",
# LIB_FUZZING_ENGINE=-fsanitize=fuzzer, and SRC, OUT, WORK scratch folders
# with the source tree at $SRC/trustfuzz, run as `bash -eu` as the image's
# `compile` does. Then:
#  - $OUT/fuzz-diff is a libFuzzer binary that runs every seed of the
#    shipped seed corpus (unzipped) and a short mutation run from a folder
#    without a corpus/ (as on the runner), exit 0;
#  - the seed corpus zip holds exactly corpus/fuzz/diff, the dictionary is
#    corpus/fuzz/trustfuzz.dict, the options file names it;
#  - project.yaml, the Dockerfile and both workflows say what the docs say
#    (language c, base-builder, the build.sh copy, code-change and batch).
set -u
: "${TRUSTFUZZ:?}" "${TF_SRC:?}" "${TF_TMP:?}"
rm -rf "$TF_TMP"
mkdir -p "$TF_TMP/src" "$TF_TMP/out" "$TF_TMP/work" "$TF_TMP/run"
fails=0
say() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
ln -s "$TF_SRC" "$TF_TMP/src/trustfuzz"
cd "$TF_TMP/src/trustfuzz" || exit 1
if ! env CC=clang CXX=clang++ CFLAGS="-fsanitize=address,fuzzer-no-link -g" \
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer SRC="$TF_TMP/src" OUT="$TF_TMP/out" WORK="$TF_TMP/work" \
	bash -eu "$TF_SRC/.clusterfuzzlite/build.sh" >"$TF_TMP/build.log" 2>&1; then
	tail -20 "$TF_TMP/build.log"
	echo "FAIL: build.sh failed"
	exit 1
fi
bin=$TF_TMP/out/fuzz-diff
[ -x "$bin" ] || say "no $bin"

python3 - "$TF_TMP/out/fuzz-diff_seed_corpus.zip" "$TF_SRC/corpus/fuzz/diff" "$TF_TMP/seeds" <<'EOF' ||
import os, sys, zipfile
z, src, dst = sys.argv[1:]
names = sorted(zipfile.ZipFile(z).namelist())
want = sorted(os.listdir(src))
if names != want:
    print("  seed corpus zip holds %d entries, corpus/fuzz/diff %d files" % (len(names), len(want)))
    sys.exit(1)
zipfile.ZipFile(z).extractall(dst)
for n in names:
    if open(os.path.join(dst, n), "rb").read() != open(os.path.join(src, n), "rb").read():
        print("  %s differs from the committed seed" % n)
        sys.exit(1)
EOF
	say "seed corpus zip (above)"
cmp -s "$TF_TMP/out/fuzz-diff.dict" "$TF_SRC/corpus/fuzz/trustfuzz.dict" || say "dictionary is not corpus/fuzz/trustfuzz.dict"
grep -qx "dict = fuzz-diff.dict" "$TF_TMP/out/fuzz-diff.options" || say "options file does not name the dictionary"

# As on the runner: another working directory, no findings directory.
cd "$TF_TMP/run" || exit 1
unset TRUSTFUZZ_FINDINGS TRUSTFUZZ_KNOWN
nseeds=$(ls "$TF_TMP/seeds" | wc -l)
"$bin" "$TF_TMP"/seeds/* >"$TF_TMP/seeds.log" 2>&1 || say "fuzz-diff on the seeds: $(tail -3 "$TF_TMP/seeds.log")"
ran=$(grep -c "^Running: " "$TF_TMP/seeds.log")
[ "$ran" -eq "$nseeds" ] || say "ran $ran of $nseeds seeds"
grep -q "^Executed " "$TF_TMP/seeds.log" || say "no 'Executed' line"
mkdir -p corpus-new
"$bin" -runs=200 -dict="$TF_TMP/out/fuzz-diff.dict" corpus-new "$TF_TMP/seeds" >"$TF_TMP/fuzz.log" 2>&1 ||
	say "fuzz-diff -runs=200: $(tail -3 "$TF_TMP/fuzz.log")"
grep -q "^Done 200 runs" "$TF_TMP/fuzz.log" || say "no 'Done 200 runs'"
extra_files=$(find "$TF_TMP/run" -mindepth 1 -maxdepth 1 ! -name corpus-new)
[ -z "$extra_files" ] || say "the runner's folder got files: $extra_files"

# The configuration files.
c=$TF_SRC/.clusterfuzzlite
grep -qx "language: c" "$c/project.yaml" || say "project.yaml: language"
grep -q "^FROM gcr.io/oss-fuzz-base/base-builder" "$c/Dockerfile" || say "Dockerfile: base image"
grep -q "^COPY .clusterfuzzlite/build.sh \$SRC/" "$c/Dockerfile" || say "Dockerfile: build.sh copy"
grep -q '\$CC \$CFLAGS "\$obj"/\*.o \$LIB_FUZZING_ENGINE' "$c/build.sh" || say "build.sh: link line"
w=$TF_SRC/.github/workflows
grep -q "mode: 'code-change'" "$w/cflite_pr.yml" || say "cflite_pr.yml: code-change mode"
grep -q "pull_request:" "$w/cflite_pr.yml" || say "cflite_pr.yml: trigger"
grep -q "mode: 'batch'" "$w/cflite_batch.yml" || say "cflite_batch.yml: batch mode"
grep -q "cron:" "$w/cflite_batch.yml" || say "cflite_batch.yml: schedule"
for f in "$w/cflite_pr.yml" "$w/cflite_batch.yml"; do
	grep -q "google/clusterfuzzlite/actions/build_fuzzers@v1" "$f" || say "$f: build_fuzzers"
	grep -q "google/clusterfuzzlite/actions/run_fuzzers@v1" "$f" || say "$f: run_fuzzers"
	grep -q "language: c$" "$f" || say "$f: language"
	grep -q $'\t' "$f" && say "$f: a tab (YAML forbids them for indentation)"
done
# Syntax: the YAML files parse (PyYAML, python3-yaml) into the structure
# the actions read, and every Dockerfile line is an instruction, a comment
# or a continuation. (docker build itself needs a daemon and the registry.)
python3 - "$c" "$w" <<'EOF' || say "YAML or Dockerfile syntax (above)"
import os, re, sys
c, w = sys.argv[1:]
try:
    import yaml
except ImportError:
    print("  note: no PyYAML; YAML files not parsed")
    yaml = None
if yaml:
    p = yaml.safe_load(open(os.path.join(c, "project.yaml")))
    assert p["language"] == "c" and "address" in p["sanitizers"], "project.yaml"
    for name, trigger in (("cflite_pr.yml", "pull_request"), ("cflite_batch.yml", "schedule")):
        doc = yaml.safe_load(open(os.path.join(w, name)))
        on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as true
        assert isinstance(on, dict) and trigger in on, "%s: no %s trigger" % (name, trigger)
        uses = [s.get("uses", "") for j in doc["jobs"].values() for s in j["steps"]]
        assert any(u.endswith("build_fuzzers@v1") for u in uses), name + ": build_fuzzers"
        assert any(u.endswith("run_fuzzers@v1") for u in uses), name + ": run_fuzzers"
cont = False
for n, line in enumerate(open(os.path.join(c, "Dockerfile")), 1):
    text = line.rstrip("\n")
    if not cont and text.strip() and not text.lstrip().startswith("#"):
        word = text.split()[0]
        assert re.fullmatch(r"FROM|RUN|COPY|WORKDIR|ENV|ARG|ADD", word), \
            "Dockerfile:%d: %r is not an instruction" % (n, word)
    cont = text.endswith("\\")
assert not cont, "Dockerfile: ends inside a continuation"
EOF

[ $fails -eq 0 ] && echo "cflite_build: build.sh built fuzz-diff; it ran $nseeds seeds and 200 mutations"
exit $((fails > 0))
