# Shared by bin/lanfetch and bin/lanfetch-server of a release archive or the Debian package,
# which set $self (the launcher's resolved path) and $kind (client or server) and source this.
#
# POSIX sh, so it runs wherever /bin/sh does; the same guarantees as the source tree's
# bin/launch, without Maven: a UTF-8 locale whatever the user's is, the same JVM options, and
# a class-data archive for the client's fast start. Every forked command costs every run a
# millisecond or more, so there are as few as the shell allows, and Java is always exec'd: its
# PID, signals, stdin and exit code are the launcher's.
lib=${self%/*}/../lib
case $kind in
  client) name=lanfetch
          jar=$lib/lanfetch.jar
          default_opts="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss1m -XX:-UsePerfData" ;;
  *)      name=lanfetch-server
          jar=$lib/lanfetch-server.jar
          default_opts="-XX:+UseSerialGC -Xmx64m -XX:MaxDirectMemorySize=32m -Xss512k" ;;
esac
die() { printf '%s: %s\n' "$name" "$*" >&2; exit 1; }

# Java: the package's own runtime, else JAVA_HOME, else PATH.
bundled=
if [ -x "$lib/../runtime/bin/java" ]; then
  java=$lib/../runtime/bin/java
  bundled=1
elif [ -n "${JAVA_HOME:-}" ]; then
  java=$JAVA_HOME/bin/java
  [ -x "$java" ] || die "JAVA_HOME is $JAVA_HOME, which has no bin/java: set it to a Java 17 or newer"
else
  java=$(command -v java) || die "no Java runtime found: install Java 17 or newer, or set JAVA_HOME"
fi
[ -f "$jar" ] || die "$jar is missing: this installation is incomplete"

# Java names files in the locale's charset (sun.jnu.encoding): under C/POSIX, or with no locale
# at all, it cannot even form the path "[接收]报告.txt". Asked of `locale`, not read from the
# variables: LANG=en_US.UTF-8 on a machine without that locale installed is ASCII to Java.
# C.UTF-8 is always there on glibc; a system without `locale` gets it too.
case $(locale charmap 2>/dev/null) in
  UTF-8) ;;
  *) LC_ALL=C.UTF-8; export LC_ALL ;;
esac

# C1 alone starts faster, but only C2 emits the AES-GCM intrinsics TLS decryption needs (about
# 25 MB/s without them): a TLS run gets the full tiered compiler, as in bin/launch.
if [ "$kind" = client ]; then
  for arg in "$@"; do
    case $arg in --tls|--fingerprint|--fingerprint=*)
      default_opts="-XX:+UseSerialGC -Xss1m -XX:-UsePerfData"; break ;;
    esac
  done
fi
# Split on spaces below, on purpose: LANFETCH_JAVA_OPTS="-Xmx1g -Xss2m".
opts=${LANFETCH_JAVA_OPTS:-$default_opts}
cds_log="-Xlog:cds=off -Xlog:cds+dynamic=off"
if [ "$kind" = server ] || [ -n "${LANFETCH_NO_CDS:-}" ]; then
  exec "$java" $opts -jar "$jar" "$@"
fi

# The package's runtime comes with an archive made for it when the package was built: a
# JDK 25+ ahead-of-time cache (classes loaded and linked, JEP 483), or a static AppCDS
# archive on older runtimes. The JVM checks that an archive matches itself and the jar and
# quietly runs without one otherwise.
if [ -n "$bundled" ]; then
  if [ -f "$lib/lanfetch.aot" ]; then
    exec "$java" $opts "-XX:AOTCache=$lib/lanfetch.aot" -Xlog:aot=off -Xlog:cds=off -jar "$jar" "$@"
  elif [ -f "$lib/lanfetch.jsa" ]; then
    exec "$java" $opts "-XX:SharedArchiveFile=$lib/lanfetch.jsa" -Xshare:auto $cds_log -jar "$jar" "$@"
  fi
  exec "$java" $opts -jar "$jar" "$@"
fi

# Any other Java: a static AppCDS archive of the classes real runs load, made on this machine
# as bin/launch does it (see there why static). The first run dumps it from the class list the
# build trained on several runs (lib/lanfetch.classlist, a second or two, once); from then on
# every run maps it. If that dump fails (a Java whose classes differ too much from the one that
# trained the list), the first get/list run records its own list in lanfetch.classlist.<its
# PID> and the next run, finding that process gone, dumps the archive from that. Kept beside
# the jar when that is writable, else in the user's cache directory, else not at all.
# lanfetch.jsa.java names the java it was made with: another Java would ignore it silently.
if [ -w "$lib" ]; then
  cache=$lib
elif [ -n "${XDG_CACHE_HOME:-}" ] || [ -n "${HOME:-}" ]; then
  cache=${XDG_CACHE_HOME:-$HOME/.cache}/lanfetch
  [ -d "$cache" ] || mkdir -p "$cache" 2>/dev/null || cache=
else
  cache=
fi
[ -n "$cache" ] && [ -w "$cache" ] || exec "$java" $opts -jar "$jar" "$@"

jsa=$cache/lanfetch.jsa
classlist=$cache/lanfetch.classlist

# Dumps $jsa from the class list $1. Under a temporary name, then renamed: a concurrent run
# sees no archive or a whole one. A failed dump only means no archive; the client runs anyway.
dump() {
  ok=1
  if [ -s "$1" ] && [ ! -f "$jsa" ] && "$java" $opts -Xshare:dump \
      "-XX:SharedClassListFile=$1" "-XX:SharedArchiveFile=$jsa.$$" $cds_log \
      -cp "$jar" >/dev/null 2>&1; then
    printf '%s\n' "$java" >"$jsa.java.$$" && mv -f "$jsa.java.$$" "$jsa.java" && mv -f "$jsa.$$" "$jsa" && ok=0
  fi
  rm -f "$jsa.$$" "$jsa.java.$$"
  return $ok
}

dump_archive() {
  # The trained list, unless a dump from it failed with this Java and this jar already.
  if [ -s "$lib/lanfetch.classlist" ]; then
    failed=
    [ -f "$jsa.failed" ] && read -r failed <"$jsa.failed"
    if [ "$failed" != "$java" ] || [ "$jar" -nt "$jsa.failed" ]; then
      dump "$lib/lanfetch.classlist" && return
      printf '%s\n' "$java" >"$jsa.failed"
    fi
  fi
  for list in "$classlist".*; do
    [ -f "$list" ] || continue
    pid=${list##*.}
    case $pid in
      ''|*[!0-9]*) ;;
      *) kill -0 "$pid" 2>/dev/null && continue ;;  # still running: its list is not complete yet
    esac
    dump "$list"
    rm -f "$list"
  done
}

if [ -f "$jsa" ]; then
  made_with=
  [ -f "$jsa.java" ] && read -r made_with <"$jsa.java"
  # A new jar or another Java: the JVM would silently ignore the archive on every run.
  if [ "$jar" -nt "$jsa" ] || [ "$made_with" != "$java" ]; then
    rm -f "$jsa" "$jsa.java"
  fi
fi
[ -f "$jsa" ] || dump_archive
if [ -f "$jsa" ]; then
  exec "$java" $opts "-XX:SharedArchiveFile=$jsa" -Xshare:auto $cds_log -jar "$jar" "$@"
fi
case ${1:-} in
  get|list)
    for list in "$classlist".*; do
      [ -e "$list" ] && exec "$java" $opts -jar "$jar" "$@"  # another run is recording
    done
    # exec keeps this PID, so the list's name tells the next run whether it is complete.
    exec "$java" $opts "-XX:DumpLoadedClassList=$classlist.$$" -jar "$jar" "$@" ;;
esac
exec "$java" $opts -jar "$jar" "$@"
