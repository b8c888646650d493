#!/bin/bash -eu
# .clusterfuzzlite/build.sh — builds trustfuzz's fuzz target the way
# ClusterFuzzLite and OSS-Fuzz expect (docs/report.md): every C file of the
# libraries plus the engine-neutral target (harness/fuzz/target.c) and its
# libFuzzer driver, compiled with $CC $CFLAGS, linked with
# $LIB_FUZZING_ENGINE into $OUT/fuzz-diff, with its seed corpus
# ($OUT/fuzz-diff_seed_corpus.zip), dictionary ($OUT/fuzz-diff.dict) and
# options file beside it.
#
# Environment, as OSS-Fuzz sets it: CC, CFLAGS, LIB_FUZZING_ENGINE, SRC, OUT,
# WORK. The source tree is $SRC/trustfuzz (or $TRUSTFUZZ_SRC).
#
# Dependencies: when the image fetched OpenSSL, Nettle and GnuTLS sources
# into $SRC (the Dockerfile does), they are built here with the same
# compiler and flags, statically, into $WORK/deps, and everything is linked
# statically (the runner has none of these libraries). Otherwise (a local
# run, tests/cli/cflite_build.sh) the system's libraries are found with
# pkg-config and linked as usual.
#
# On the runner no findings directory is configured, so divergences are not
# recorded: ClusterFuzzLite looks for crashes, which the target reserves for
# harness bugs, backend failures and the OpenSSL consistency oracle.
: "${CC:?}" "${CFLAGS:?}" "${LIB_FUZZING_ENGINE:?}" "${SRC:?}" "${OUT:?}" "${WORK:?}"
tf=${TRUSTFUZZ_SRC:-$SRC/trustfuzz}
deps=$WORK/deps
jobs=$(nproc)

build_deps() {
	local b=$WORK/deps-build
	mkdir -p "$deps" "$b"
	if [ ! -f "$deps/lib/libcrypto.a" ]; then
		echo "build.sh: OpenSSL (static, $CC)"
		rm -rf "$b/openssl" && cp -r "$SRC/openssl" "$b/openssl"
		(cd "$b/openssl" &&
			./config no-shared no-tests no-module --prefix="$deps" --libdir=lib \
				CC="$CC" CFLAGS="$CFLAGS" >/dev/null &&
			make -j"$jobs" build_libs >/dev/null && make install_dev >/dev/null)
	fi
	if [ ! -f "$deps/lib/libnettle.a" ]; then
		echo "build.sh: Nettle (static, $CC)"
		rm -rf "$b/nettle" && cp -r "$SRC/nettle" "$b/nettle"
		(cd "$b/nettle" &&
			./configure --prefix="$deps" --libdir="$deps/lib" --disable-shared --enable-static \
				--disable-documentation --disable-openssl CC="$CC" CFLAGS="$CFLAGS" >/dev/null &&
			make -j"$jobs" >/dev/null && make install >/dev/null)
	fi
	if [ ! -f "$deps/lib/libgnutls.a" ]; then
		echo "build.sh: GnuTLS (static, $CC)"
		rm -rf "$b/gnutls" && cp -r "$SRC/gnutls" "$b/gnutls"
		(cd "$b/gnutls" &&
			PKG_CONFIG_PATH="$deps/lib/pkgconfig" ./configure --prefix="$deps" \
				--libdir="$deps/lib" --disable-shared --enable-static \
				--with-included-libtasn1 --with-included-unistring --without-p11-kit \
				--without-idn --without-zlib --without-brotli --without-zstd --without-tpm \
				--without-tpm2 --disable-doc --disable-tests --disable-tools --disable-cxx \
				--disable-guile --disable-nls --disable-libdane CC="$CC" CFLAGS="$CFLAGS" \
				>/dev/null &&
			make -j"$jobs" >/dev/null && make install >/dev/null)
	fi
}

if [ -d "$SRC/openssl" ] && [ -d "$SRC/nettle" ] && [ -d "$SRC/gnutls" ]; then
	build_deps
	export PKG_CONFIG_PATH="$deps/lib/pkgconfig"
	cflags_deps="$(pkg-config --cflags gnutls openssl) $(pkg-config --cflags jansson)"
	# Static: the libraries' own archives, and Ubuntu's jansson and gmp by
	# archive name; the C library's parts stay dynamic.
	libs=""
	for l in $(pkg-config --static --libs gnutls openssl) -ljansson; do
		case $l in
		-lgmp) libs="$libs -l:libgmp.a" ;;
		-ljansson) libs="$libs -l:libjansson.a" ;;
		-lpthread | -pthread | -ldl | -lrt | -lm) ;;
		*) libs="$libs $l" ;;
		esac
	done
	libs="$libs -lpthread -ldl -lrt -lm"
else
	cflags_deps=$(pkg-config --cflags jansson openssl gnutls)
	libs=$(pkg-config --libs jansson openssl gnutls)
fi

# Compile: one object per source, the module's own folder on the include
# path (its private headers), as CMake does.
obj=$WORK/obj
rm -rf "$obj"
mkdir -p "$obj"
srcs=()
for dir in core generators evaluators backends harness; do
	for f in "$tf/$dir"/*.c; do
		srcs+=("$f")
	done
done
srcs+=("$tf/harness/fuzz/target.c" "$tf/harness/fuzz/libfuzzer.c")
echo "build.sh: compiling ${#srcs[@]} files with $CC $CFLAGS"
running=0
for f in "${srcs[@]}"; do
	dir=$(dirname "$f")
	o="$obj/$(basename "$dir")-$(basename "$f" .c).o"
	# shellcheck disable=SC2086
	$CC $CFLAGS -std=c11 -D_GNU_SOURCE -I"$tf/include" -I"$dir" $cflags_deps -c "$f" -o "$o" &
	running=$((running + 1))
	if [ $running -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
while [ $running -gt 0 ]; do
	wait -n
	running=$((running - 1))
done

# Link with the fuzzing engine.
# shellcheck disable=SC2086
$CC $CFLAGS "$obj"/*.o $LIB_FUZZING_ENGINE $libs -o "$OUT/fuzz-diff"

# Seed corpus, dictionary, options.
rm -f "$OUT/fuzz-diff_seed_corpus.zip"
# Seed names never start with '-' (scripts/make-seed-corpus.sh names them).
if command -v zip >/dev/null; then
	zip -q -X -j "$OUT/fuzz-diff_seed_corpus.zip" "$tf"/corpus/fuzz/diff/*
else
	(cd "$tf/corpus/fuzz/diff" && python3 -m zipfile -c "$OUT/fuzz-diff_seed_corpus.zip" *)
fi
cp "$tf/corpus/fuzz/trustfuzz.dict" "$OUT/fuzz-diff.dict"
cat >"$OUT/fuzz-diff.options" <<EOF
[libfuzzer]
dict = fuzz-diff.dict
max_len = 4096
EOF
echo "build.sh: $OUT/fuzz-diff, seed corpus of $(ls "$tf/corpus/fuzz/diff" | wc -l) inputs, dictionary"
