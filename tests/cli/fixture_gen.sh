#!/usr/bin/env bash
# `trustfuzz gen`, `show`, `dot` and scripts/render-dot.sh: determinism
# (same seeds, same bytes), output names, the KB trigger marks, --help and
# usage errors.
set -u
fail=0
say() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP" && tmp=$(mktemp -d "$TF_TMP/gen.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# Determinism: two runs, byte-identical files, named by profile and seed.
"$TRUSTFUZZ" gen --seed 7 --count 20 --out "$tmp/A" 2>"$tmp/err.A"; rc=$?
[ $rc = 0 ] || say "gen --out A: exit $rc"
"$TRUSTFUZZ" gen --seed 7 --count 20 --out "$tmp/B/nested" 2>/dev/null || say "gen --out B/nested"
diff -r "$tmp/A" "$tmp/B/nested" >/dev/null || say "two runs of gen --seed 7 --count 20 differ"
[ "$(ls -A "$tmp/A" | wc -l)" = 20 ] || say "expected 20 files, got: $(ls -A "$tmp/A" | tr '\n' ' ')"
for s in $(seq 7 26); do
  [ -f "$tmp/A/gen-mixed-$s.json" ] || say "missing gen-mixed-$s.json"
done
[ "$(cat "$tmp/err.A")" = "trustfuzz gen: wrote 20 fixtures to $tmp/A (profile mixed, seeds 7..26)" ] ||
  say "gen stderr: '$(cat "$tmp/err.A")'"
grep -q '"seed": 7,\?$' "$tmp/A/gen-mixed-7.json" || say "gen-mixed-7.json lacks its seed"
grep -q '"id": "gen-mixed-7",$' "$tmp/A/gen-mixed-7.json" || say "gen-mixed-7.json id"

# stdout mode gives the same bytes, fixtures one after another.
"$TRUSTFUZZ" gen --seed 7 2>/dev/null | cmp -s - "$tmp/A/gen-mixed-7.json" || say "gen to stdout differs"
cat "$tmp/A/gen-mixed-8.json" "$tmp/A/gen-mixed-9.json" > "$tmp/two"
"$TRUSTFUZZ" gen -s 8 -n 2 | cmp -s - "$tmp/two" || say "gen -s 8 -n 2 differs"
"$TRUSTFUZZ" gen | cmp -s - <("$TRUSTFUZZ" gen --seed 1 --count 1 --profile mixed) || say "gen defaults"
for p in kb rfc5280; do
  "$TRUSTFUZZ" gen --profile "$p" --seed 3 --count 2 --out "$tmp/P" 2>/dev/null || say "gen --profile $p"
  [ -f "$tmp/P/gen-$p-4.json" ] || say "missing gen-$p-4.json"
  grep -q "\"profile\": \"$p\"" "$tmp/P/gen-$p-3.json" || say "gen-$p-3.json provenance"
done
"$TRUSTFUZZ" gen --seed 18446744073709551615 --out "$tmp/M" 2>/dev/null || say "largest seed"
grep -q '"seed": "18446744073709551615"' "$tmp/M/gen-mixed-18446744073709551615.json" ||
  say "largest seed not written as a string"

# show and dot work on every generated fixture; dot's output renders.
for f in "$tmp"/A/*.json "$tmp"/P/*.json "$tmp"/M/*.json; do
  id=$(basename "$f" .json)
  out=$("$TRUSTFUZZ" show "$f" 2>&1); rc=$?
  [ $rc = 0 ] || say "show $f: exit $rc: $out"
  case "$out" in "$id  ($f)"*) ;; *) say "show $f: first line '$(head -1 <<<"$out")'" ;; esac
  "$TRUSTFUZZ" dot "$f" > "$tmp/g.dot" 2>"$tmp/err" || say "dot $f: $(cat "$tmp/err")"
  head -1 "$tmp/g.dot" | grep -q "^digraph \"$id\" {$" || say "dot $f: first line"
  if command -v dot >/dev/null; then
    dot -Tsvg "$tmp/g.dot" -o "$tmp/g.svg" 2>"$tmp/err" || say "dot -Tsvg on $id: $(cat "$tmp/err")"
    grep -q "<svg" "$tmp/g.svg" || say "dot -Tsvg on $id: no svg"
  fi
done
"$TRUSTFUZZ" show "$tmp/A/gen-mixed-7.json" "$tmp/A/gen-mixed-8.json" > "$tmp/both" || say "show two files"
[ "$(grep -c '^gen-mixed-[78]  (' "$tmp/both")" = 2 ] || say "show two files: headers"

# The KB 2802568 scenario of the docs: I1 (an intermediate) in Root is marked.
awk '/^```json$/{f=1;next} /^```$/{if(f)exit} f' "$TF_SRC/docs/fixture-format.md" > "$tmp/kb.json"
out=$("$TRUSTFUZZ" show "$tmp/kb.json") || say "show kb.json"
grep -A1 '^    I1  "Inter" <- "Root"' <<<"$out" | grep -q '!! not self-issued, in Root' ||
  say "show: no trigger mark on I1"
grep -q '^    root: R0, I1 !!$' <<<"$out" || say "show: root store line"
grep -q '^    0: leaf L2, sends I1$' <<<"$out" || say "show: identity line"
grep -q '^    kb: 200, win32 0x00000000 (0)$' <<<"$out" || say "show: expectation line"
grep -q '!!.*R0\|R0.*!!' <<<"$(grep -A1 '^    R0 ' <<<"$out")" && say "show: R0 marked"
dotout=$("$TRUSTFUZZ" dot "$tmp/kb.json") || say "dot kb.json"
grep -q '^    c1 \[label="I1\\nInter\\nalso in' <<<"$dotout" && say "dot: I1 is in Root only"
grep -q '^    c1 \[label="I1\\nInter\\nKB trigger: not self-issued, in Root", color=red' <<<"$dotout" ||
  say "dot: I1 not highlighted"
grep -q '^  c1 -> c0 \[label="issued by"\];$' <<<"$dotout" || say "dot: I1 -> R0 edge"
grep -q '^  c2 -> c1 \[label="issued by"\];$' <<<"$dotout" || say "dot: L2 -> I1 edge"
grep -q '^  id0 -> c1 \[style=dotted, label="sends 1"\];$' <<<"$dotout" || say "dot: identity chain"
grep -q 'color=red' <<<"$(grep '^    c0 ' <<<"$dotout")" && say "dot: R0 highlighted"
# A certificate in several stores: drawn in the first, noted in the others.
awk '/^```json$/{n++;if(n==2){f=1;next}} /^```$/{if(f)exit} f' "$TF_SRC/docs/fixture-format.md" > "$tmp/every.json"
dotout=$("$TRUSTFUZZ" dot "$tmp/every.json") || say "dot every.json"
grep -q '^    c1 \[label="B1\\nBridge\\n(expired)\\nalso in intermediate\\nKB trigger: not self-issued, in Root", color=red' <<<"$dotout" ||
  say "dot: B1 label"
grep -q '^    s1_c1 \[shape=plaintext, label="B1\\n(drawn in root)"\];$' <<<"$dotout" || say "dot: B1 note"
grep -q '^    s2_c0 \[shape=plaintext, label="R0\\n(drawn in root)"\];$' <<<"$dotout" || say "dot: R0 note"
grep -q '^  c2 -> c1 \[label="issued by", style=dashed, color=red\];$' <<<"$dotout" || say "dot: corrupt edge"
[ "$(grep -c '^    c1 \[' <<<"$dotout")" = 1 ] || say "dot: B1 drawn more than once"
if command -v dot >/dev/null; then
  dot -Tsvg <<<"$dotout" >/dev/null || say "dot -Tsvg on every.json"
  TRUSTFUZZ="$TRUSTFUZZ" "$TF_SRC/scripts/render-dot.sh" "$tmp/kb.json" "$tmp/kb.svg" ||
    say "render-dot.sh failed"
  grep -q "<svg" "$tmp/kb.svg" || say "render-dot.sh: no svg"
  grep -q "KB trigger" "$tmp/kb.svg" || say "render-dot.sh: no trigger label"
  TRUSTFUZZ="$TRUSTFUZZ" "$TF_SRC/scripts/render-dot.sh" "$tmp/nope.json" "$tmp/nope.svg" 2>/dev/null &&
    say "render-dot.sh on a missing file succeeded"
  [ -e "$tmp/nope.svg" ] && say "render-dot.sh left a file behind"
fi

# --help exits 0 on stdout; usage errors exit 2 with one line on stderr.
for c in gen show dot; do
  out=$("$TRUSTFUZZ" "$c" --help); rc=$?
  [ $rc = 0 ] || say "$c --help: exit $rc"
  case "$out" in "usage: trustfuzz $c"*) ;; *) say "$c --help: '$(head -1 <<<"$out")'" ;; esac
done
usage_error() { # usage_error EXPECTED_SUBSTRING ARGS...
  local want=$1; shift
  "$TRUSTFUZZ" "$@" >/dev/null 2>"$tmp/err"; local rc=$?
  [ $rc = 2 ] || say "$*: exit $rc, expected 2"
  [ "$(wc -l < "$tmp/err")" = 1 ] || say "$*: $(wc -l < "$tmp/err") lines on stderr"
  grep -qF -- "$want" "$tmp/err" || say "$*: stderr '$(cat "$tmp/err")' lacks '$want'"
}
usage_error "unknown option '--frobnicate'" gen --frobnicate
usage_error "unknown option '-x'" gen -x
usage_error "unknown option '--nonsense'" show --nonsense "$tmp/kb.json"
usage_error "unknown option '--nonsense'" dot --nonsense "$tmp/kb.json"
usage_error "option '--seed' needs a value" gen --seed
usage_error "--seed: bad number 'abc'" gen --seed abc
usage_error "--seed: bad number '-1'" gen --seed -1
usage_error "--count: bad count '0'" gen --count 0
usage_error "--profile: unknown profile 'fast'" gen --profile fast
usage_error "unexpected argument 'extra'" gen extra
usage_error "runs past the largest seed" gen --seed 18446744073709551615 --count 2
usage_error "no fixture file given" show
usage_error "no fixture file given" dot
usage_error "one fixture file at a time" dot "$tmp/kb.json" "$tmp/kb.json"
touch "$tmp/file"
"$TRUSTFUZZ" gen --out "$tmp/file/sub" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 2 ] || say "gen --out under a file: exit $rc"
[ "$(wc -l < "$tmp/err")" = 1 ] || say "gen --out under a file: not one line"

[ $fail -eq 0 ] && echo "fixture_gen: all checks passed"
exit $fail
