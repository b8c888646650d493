#!/usr/bin/env bash
# tests/cli/bench_rows.sh — `trustfuzz bench` on a tiny set prints every
# throughput row, and its cache counters say what the renderer promises
# (render.h): with the caches off every certificate's signature is computed;
# with them on, cached + computed is the same count; and the full
# differential, whose OpenSSL and GnuTLS instances share one renderer,
# computes no more signatures than OpenSSL verify alone. No timing is
# asserted. Bad --dict: one line, exit 2.
set -u
: "${TRUSTFUZZ:?}" "${TF_TMP:?}"
fail=0
say() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP"
out="$TF_TMP/bench.md"
"$TRUSTFUZZ" bench --only rates -n 30 --min-cpu 0.01 > "$out" 2>&1 || say "bench: exit $?"

# "cached / computed" of the row whose label is $1.
counts() { grep -F "| $1 |" "$out" | head -1 | awk -F'|' '{gsub(/ /, "", $9); print $9}'; }
for row in "generator alone" "reference" "KB model" "OpenSSL verify, cache on" \
	"OpenSSL verify, cache off" "OpenSSL handshake, cache on" "OpenSSL handshake, cache off" \
	"GnuTLS, cache on" "GnuTLS, cache off" "model-only differential" \
	"full differential, cache on" "full differential, cache off" \
	"campaign differential, cache on" "campaign differential, cache off" "crypto ceiling"; do
	[ "$(grep -cF "| $row |" "$out")" = 1 ] || say "row \"$row\" not printed once"
done
for what in "OpenSSL verify" "GnuTLS" "full differential" "campaign differential"; do
	on=$(counts "$what, cache on") off=$(counts "$what, cache off")
	[[ "$off" =~ ^0/([0-9]+)$ ]] || { say "$what, cache off: \"$off\""; continue; }
	total=${BASH_REMATCH[1]}
	[[ "$on" =~ ^([0-9]+)/([0-9]+)$ ]] || { say "$what, cache on: \"$on\""; continue; }
	[ $((BASH_REMATCH[1] + BASH_REMATCH[2])) = "$total" ] ||
		say "$what: cached + computed $on is not the $total signatures of cache off"
	[ "${BASH_REMATCH[1]}" -gt 0 ] || say "$what: nothing served from the caches ($on)"
done
computed() { counts "$1" | cut -d/ -f2; }
[ "$(computed "full differential, cache on")" = "$(computed "OpenSSL verify, cache on")" ] ||
	say "full differential computed $(computed "full differential, cache on") signatures," \
		"OpenSSL alone $(computed "OpenSSL verify, cache on"): the renderer is not shared"

"$TRUSTFUZZ" bench --dict "$TF_TMP/no-such.dict" > /dev/null 2> "$TF_TMP/err"; rc=$?
[ $rc = 2 ] || say "bad --dict: exit $rc, expected 2"
[ "$(wc -l < "$TF_TMP/err")" = 1 ] || say "bad --dict: $(cat "$TF_TMP/err")"
exit $fail
