#!/usr/bin/env bash
# Every malformed fixture in tests/bad-fixtures/ is rejected by `show` and
# `dot` with exit code 2, nothing on stdout, and exactly the one-line message
# listed for it in tests/bad-fixtures/expected.txt (file<TAB>message).
set -u
dir="$TF_SRC/tests/bad-fixtures"
table="$dir/expected.txt"
fail=0
n=0
cd "$dir" || exit 1

while IFS=$'\t' read -r file msg; do
  case "$file" in ''|'#'*) continue ;; esac
  n=$((n + 1))
  for cmd in show dot; do
    out=$("$TRUSTFUZZ" "$cmd" "$file" 2>/dev/null); rc=$?
    err=$("$TRUSTFUZZ" "$cmd" "$file" 2>&1 >/dev/null)
    if [ "$rc" != 2 ]; then echo "FAIL: $cmd $file: exit $rc, expected 2"; fail=1; fi
    if [ -n "$out" ]; then echo "FAIL: $cmd $file: wrote to stdout"; fail=1; fi
    if [ "$err" != "trustfuzz: $msg" ]; then
      printf 'FAIL: %s %s:\n  got      %s\n  expected %s\n' "$cmd" "$file" "$err" "trustfuzz: $msg"
      fail=1
    fi
  done
done < "$table"

# Every fixture in the folder has a line in the table (none goes untested).
for f in *.json; do
  grep -q "^$f	" "$table" || { echo "FAIL: $f has no line in expected.txt"; fail=1; }
done
[ "$n" -ge 15 ] || { echo "FAIL: only $n bad fixtures, expected at least 15"; fail=1; }

# Several files: the good ones are shown, each bad one reported, exit 2.
good="$TF_SRC/docs/fixture-format.md"
mkdir -p "$TF_TMP" && tmp=$(mktemp -d "$TF_TMP/bad.XXXXXX") || exit 1
awk '/^```json$/{f=1;next} /^```$/{if(f)exit} f' "$good" > "$tmp/good.json"
out=$("$TRUSTFUZZ" show "$tmp/good.json" empty.json "$tmp/good.json" 2>"$tmp/err"); rc=$?
[ "$rc" = 2 ] || { echo "FAIL: show good bad good: exit $rc, expected 2"; fail=1; }
[ "$(grep -c '^kb2802568-through-the-intermediate ' <<<"$out")" = 2 ] || { echo "FAIL: good fixtures not shown"; fail=1; }
[ "$(cat "$tmp/err")" = "trustfuzz: empty.json: empty file, expected a JSON fixture object" ] ||
  { echo "FAIL: show good bad good: stderr '$(cat "$tmp/err")'"; fail=1; }
rm -rf "$tmp"

[ $fail -eq 0 ] && echo "fixture_bad_input: $n malformed fixtures, all checks passed"
exit $fail
