# Sourced by ./trailquery and .ci/run: finds a JDK 25+ and exports JAVA_HOME.
# Order: $JAVA_HOME, then `java` on PATH, then the usual install folders.

_tq_java_major() { # prints the major version of the java binary $1, or nothing
  # A JDK's `release` file names its version: reading it costs nothing, starting a JVM ~60 ms.
  local release v
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release" | head -n 1)
    if [ -n "$v" ]; then
      echo "$v"
      return
    fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

_tq_try_home() { # succeeds and sets JAVA_HOME when $1 is a JDK home of version 25+
  local home=$1 major
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  major=$(_tq_java_major "$home/bin/java")
  [ -n "$major" ] && [ "$major" -ge 25 ] || return 1
  export JAVA_HOME=$home
}

tq_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && _tq_try_home "$JAVA_HOME"; then return 0; fi
  local j home
  if j=$(command -v java 2>/dev/null); then
    j=$(readlink -f "$j" 2>/dev/null || echo "$j")
    home=$(dirname "$(dirname "$j")")
    if _tq_try_home "$home"; then return 0; fi
  fi
  # Highest version first among the usual folders.
  for home in $(ls -d /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*jdk* \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* "$HOME"/.local/share/mise/installs/java/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home 2>/dev/null | sort -t- -k2 -Vr); do
    [ -L "$home" ] && continue
    if _tq_try_home "$home"; then return 0; fi
  done
  cat >&2 <<'MSG'
trailquery needs a JDK 25 or newer (Java 25 is the current LTS and Lambda's java25 runtime).
None was found in $JAVA_HOME, on the PATH, or under /usr/lib/jvm, /opt, ~/.sdkman, ~/.jdks.
Install one, for example:
  Debian/Ubuntu: apt-get install temurin-25-jdk   (Adoptium's apt repository) or openjdk-25-jdk
  macOS:         brew install --cask temurin@25
  SDKMAN:        sdk install java 25-tem
then run this again (or set JAVA_HOME to it).
MSG
  return 1
}
