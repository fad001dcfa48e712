#!/bin/sh
# bin/gateway in both distributions of jreleaser.yml (jreleaser copies this file as it is: keep it free of
# mustache tags). In the jlink image (bin/java beside this script, jars in jars/) it runs on the image's own
# runtime; in the java-archive (jars in lib/) on $JAVA_HOME/bin/java, else the java on PATH (21 or newer).
#   GATEWAY_JAVA_OPTS  replaces the default JVM options: -XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=4
# A JDK AOT cache (gateway.aot, JDK 25+) or CDS archive (gateway.jsa, JDK 21+) beside the jars is used when there
# is one; a cache this JVM cannot use (made by another JVM build, or the jars changed) is skipped without a word.
# Add -XX:AOTMode=off (or -Xshare:off) to GATEWAY_JAVA_OPTS to run without it.

# follow links to the installation (Homebrew links bin/gateway from its prefix)
resolve() {
  p=$1
  while [ -h "$p" ]; do
    l=$(readlink "$p")
    case $l in
      /*) p=$l ;;
      *) p=$(dirname "$p")/$l ;;
    esac
  done
  printf '%s\n' "$p"
}
home=$(cd "$(dirname "$(resolve "$0")")/.." && pwd -P) || exit 1

if [ -x "$home/bin/java" ] && [ -d "$home/jars" ]; then
  java=$home/bin/java
  jars=$home/jars
  runtime=$home
else
  jars=$home/lib
  if [ -n "${JAVA_HOME:-}" ]; then
    java=$JAVA_HOME/bin/java
    runtime=$JAVA_HOME
  else
    java=$(command -v java 2>/dev/null) || java=
    [ -n "$java" ] && runtime=$(dirname "$(dirname "$(resolve "$java")")")
  fi
  if [ -z "$java" ] || [ ! -x "$java" ]; then
    echo "gateway: no java${java:+ at $java}: set JAVA_HOME to a Java 21 or newer, or put its java on PATH" >&2
    exit 1
  fi
fi

# the JVM's feature version from its release file (no extra JVM start); 0 when it cannot be told
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${runtime:-/nonexistent}/release" 2>/dev/null)
case $feature in
  ''|*[!0-9]*) feature=0 ;;
esac
if [ "$feature" -gt 0 ] && [ "$feature" -lt 21 ]; then
  echo "gateway: needs Java 21 or newer; $java is Java $feature (set JAVA_HOME to a newer one)" >&2
  exit 1
fi

set -f   # the options are split on spaces, never globbed
set -- -jar "$jars/gateway-dist.jar" "$@"
# shellcheck disable=SC2086
set -- ${GATEWAY_JAVA_OPTS:--XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=4} "$@"
if [ "$feature" -ge 25 ] && [ -f "$jars/gateway.aot" ]; then
  set -- "-XX:AOTCache=$jars/gateway.aot" '-Xlog:aot*=off,cds*=off' "$@"
elif [ "$feature" -ge 21 ] && [ -f "$jars/gateway.jsa" ]; then
  set -- "-XX:SharedArchiveFile=$jars/gateway.jsa" '-Xlog:cds*=off' "$@"
fi
exec "$java" "$@"
