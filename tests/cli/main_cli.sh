#!/usr/bin/env bash
# The dispatcher: --help, --version, unknown commands, and --help of every
# subcommand listed in `trustfuzz --help`.
set -u
fail=0
check() { # check NAME EXPECTED_RC ACTUAL_RC
  if [ "$2" != "$3" ]; then echo "FAIL: $1: exit $3, expected $2"; fail=1; fi
}
out=$("$TRUSTFUZZ" --version); rc=$?
check "--version" 0 $rc
case "$out" in "trustfuzz "[0-9]*) ;; *) echo "FAIL: --version printed '$out'"; fail=1 ;; esac

"$TRUSTFUZZ" --help >/dev/null; check "--help" 0 $?
"$TRUSTFUZZ" >/dev/null 2>&1; check "no command" 2 $?
err=$("$TRUSTFUZZ" frobnicate 2>&1 >/dev/null); rc=$?
check "unknown command" 2 $rc
[ "$err" = "trustfuzz: unknown command 'frobnicate' (see trustfuzz --help)" ] || { echo "FAIL: message '$err'"; fail=1; }

cmds=$("$TRUSTFUZZ" --help | awk '/^commands:/{f=1;next} f&&/^  [a-z]/{print $1} f&&/^$/{f=0}')
[ -n "$cmds" ] || { echo "FAIL: no commands listed"; fail=1; }
for c in $cmds; do
  "$TRUSTFUZZ" "$c" --help >/dev/null 2>&1; check "$c --help" 0 $?
  lines=$("$TRUSTFUZZ" "$c" --no-such-flag 2>&1 >/dev/null | wc -l); rc=${PIPESTATUS[0]}
  "$TRUSTFUZZ" "$c" --no-such-flag >/dev/null 2>&1; check "$c --no-such-flag" 2 $?
  [ "$lines" -ge 1 ] || { echo "FAIL: $c --no-such-flag printed nothing"; fail=1; }
done
[ $fail -eq 0 ] && echo "main_cli: all checks passed"
exit $fail
