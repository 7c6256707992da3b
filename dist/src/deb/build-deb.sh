#!/bin/sh
# Builds dist/target/lanfetch_VERSION_amd64.deb: both commands with a Java runtime of their
# own (jlink), man pages, completion, the systemd units. Run by `mvn -Pdeb package` in dist/:
#
#   build-deb.sh VERSION JDK TARGET_DIR
#
# JDK is the JDK whose jlink makes the runtime (17 or newer; the runtime is that JDK's).
# Needs jlink (in the JDK) and dpkg-deb (Debian's dpkg); without either it says so in one line
# and builds nothing. No fakeroot: dpkg-deb --root-owner-group makes every file root's.
set -eu
version=$1
jdk=$2
target=$3
here=$(cd "$(dirname "$0")" && pwd -P)
src=$(cd "$here/.." && pwd -P)          # dist/src
top=$(cd "$src/../.." && pwd -P)        # the repository
say() { printf 'lanfetch-dist: %s\n' "$*" >&2; }
rm -f "$target"/lanfetch_*.deb  # never leave an older build's package to be taken for this one's

if [ ! -x "$jdk/bin/jlink" ]; then
  say "skipping the .deb: $jdk has no bin/jlink (set -Ddist.runtime.jdk=A_JDK)"; exit 0
fi
if ! command -v dpkg-deb >/dev/null 2>&1; then
  say "skipping the .deb: dpkg-deb not found (apt-get install dpkg)"; exit 0
fi
case $(uname -m) in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  *) say "skipping the .deb: no Debian architecture known for $(uname -m)"; exit 0 ;;
esac

work=$target/deb
root=$work/root
deb=$target/lanfetch_${version}_$arch.deb
rm -rf "$work"
app=$root/usr/lib/lanfetch
mkdir -p "$app/bin" "$app/lib" "$root/usr/bin" "$root/usr/share/man/man1" \
  "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
  "$root/lib/systemd/system" "$root/etc/default" "$root/etc/lanfetch" "$root/usr/share/doc/lanfetch" "$root/DEBIAN"

# The runtime: only the modules the jars use (jdeps: java.base, java.logging,
# jdk.unsupported for signals; jdk.crypto.ec for TLS's EC keys on 17, an empty shell on 22+),
# with the JDK's default class-data archive. Not compressed (--compress): the .deb is, and
# an uncompressed image starts faster. classes_nocoops.jsa only serves heaps over 32 GB.
jlink_log=$work/jlink.log
if ! "$jdk/bin/jlink" --add-modules java.base,java.logging,jdk.unsupported,jdk.crypto.ec \
    --strip-debug --no-man-pages --no-header-files --generate-cds-archive \
    --output "$app/runtime" >"$jlink_log" 2>&1; then
  cat "$jlink_log" >&2
  say "jlink failed (output above)"; exit 1
fi
rm -f "$app/runtime/lib/server/classes_nocoops.jsa"
java=$app/runtime/bin/java
feature=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')

install -m 0755 "$src/bin/lanfetch" "$src/bin/lanfetch-server" "$app/bin/"
install -m 0644 "$src/bin/launch.sh" "$top/client/target/lanfetch.jar" \
  "$top/server/target/lanfetch-server.jar" "$app/lib/"
install -m 0755 "$src/deb/make-cds" "$app/lib/"
ln -s ../lib/lanfetch/bin/lanfetch "$root/usr/bin/lanfetch"
ln -s ../lib/lanfetch/bin/lanfetch-server "$root/usr/bin/lanfetch-server"

gen=$target/generated-dist
for page in "$gen"/man/man1/*.1; do
  gzip -9n <"$page" >"$root/usr/share/man/man1/${page##*/}.gz"
done
install -m 0644 "$gen/completion/lanfetch.bash" "$root/usr/share/bash-completion/completions/lanfetch"
install -m 0644 "$gen/completion/lanfetch-server.bash" "$root/usr/share/bash-completion/completions/lanfetch-server"
install -m 0644 "$gen/completion/_lanfetch" "$gen/completion/_lanfetch-server" "$root/usr/share/zsh/vendor-completions/"
install -m 0644 "$src/systemd/lanfetch-server.service" "$src/systemd/lanfetch-server@.service" "$root/lib/systemd/system/"
install -m 0644 "$src/systemd/lanfetch-server.default" "$root/etc/default/lanfetch-server"
install -m 0644 "$src/etc/server.conf" "$root/etc/lanfetch/server.conf"
install -m 0644 "$top/README.md" "$top/PROTOCOL.md" "$top/NOTICE" "$root/usr/share/doc/lanfetch/"
{
  printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n'
  printf 'Upstream-Name: lanfetch\n\nFiles: *\nCopyright: The lanfetch authors\nLicense: Apache-2.0\n'
  printf ' See /usr/share/common-licenses/Apache-2.0 (and NOTICE for the bundled libraries).\n\n'
  printf 'Files: usr/lib/lanfetch/runtime/*\nCopyright: Oracle and/or its affiliates, and the OpenJDK contributors\n'
  printf 'License: GPL-2 with Classpath exception\n See usr/lib/lanfetch/runtime/legal/.\n'
} >"$root/usr/share/doc/lanfetch/copyright"

# Start-up archive for the client, trained on real downloads from servers on loopback. Older
# runtimes than JDK 25 get the class list of several runs, one per main path of the client
# (lanfetch.dist.TrainClassList, recorded with the package's own runtime), and postinst dumps
# the archive from it (make-cds), since a JDK 17 archive only matches the jar's own path.
# JDK 25+ writes an AOT cache (JEP 483/515: classes loaded and linked, method profiles) from
# one download, which may move with the package.
if [ "$feature" -lt 25 ]; then
  "$jdk/bin/java" -cp "$target/classes" lanfetch.dist.TrainClassList "$java" \
    "$app/lib/lanfetch.jar" "$app/lib/lanfetch-server.jar" "$app/lib/lanfetch.classlist" >&2 \
    || { say "training the class list failed"; exit 1; }
else
  client_opts="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss1m -XX:-UsePerfData"
  train=$work/train
  mkdir -p "$train/served/docs" "$train/out"
  i=0
  while [ $i -lt 20 ]; do printf 'training file %s\n' $i >"$train/served/docs/报告-$i.txt"; i=$((i + 1)); done
  LC_ALL=C.UTF-8 "$java" -jar "$app/lib/lanfetch-server.jar" --port 0 --bind 127.0.0.1 -q "$train/served" \
    >"$train/server.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  tries=0
  until grep -qs 'listening on' "$train/server.log"; do
    tries=$((tries + 1))
    if [ $tries -gt 300 ] || ! kill -0 $server 2>/dev/null; then
      cat "$train/server.log" >&2; say "the training server did not start"; exit 1
    fi
    sleep 0.1
  done
  port=$(sed -n 's/^lanfetch-server listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$train/server.log")
  LC_ALL=C.UTF-8 "$java" $client_opts "-XX:AOTCacheOutput=$app/lib/lanfetch.aot" -Xlog:aot=warning \
    -Xlog:cds=warning -jar "$app/lib/lanfetch.jar" get "127.0.0.1:$port" -r docs -o "$train/out" -q \
    >"$train/client.log" 2>&1 || { cat "$train/client.log" >&2; say "training run failed"; exit 1; }
  kill $server; wait $server 2>/dev/null || true
  trap - EXIT
fi

installed_size=$(du -sk "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$installed_size/" \
  "$src/deb/control" >"$root/DEBIAN/control"
printf '/etc/default/lanfetch-server\n/etc/lanfetch/server.conf\n' >"$root/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "$src/deb/$script" "$root/DEBIAN/"
done
# xz at level 6 by default; -Zxz is stated so that the size in BENCHMARKS.md is reproducible.
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
say "built $deb ($(du -k "$deb" | cut -f1) KiB; runtime $(du -sk "$app/runtime" | cut -f1) KiB, Java $feature)"
