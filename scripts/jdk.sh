# Sourced by ./trailquery and .ci/run: finds a JDK 25+ and exports JAVA_HOME; sets TQ_JAVA_BUILD to
# the JDK's build (JAVA_RUNTIME_VERSION of its `release` file), which names the launcher's caches.
# Order: $JAVA_HOME, then `java` on PATH, then the highest version in the usual install folders.
# Plain bash, no subprocess on the usual paths: it runs before every command (~1 ms, not ~20).

_tq_read_release() { # sets TQ_MAJOR and TQ_JAVA_BUILD for the JDK home $1 (empty when unknown)
  local line
  TQ_MAJOR= TQ_JAVA_BUILD=
  if [ -f "$1/release" ]; then # a JDK's `release` file names its version: no JVM start (~60 ms)
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in
        JAVA_VERSION=\"[0-9]*) TQ_MAJOR=${line#JAVA_VERSION=\"} && TQ_MAJOR=${TQ_MAJOR%%[!0-9]*} ;;
        JAVA_RUNTIME_VERSION=\"*) TQ_JAVA_BUILD=${line#JAVA_RUNTIME_VERSION=\"} ;;
      esac
    done <"$1/release"
  fi
  if [ -z "$TQ_MAJOR" ]; then
    TQ_MAJOR=$("$1/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  TQ_JAVA_BUILD=${TQ_JAVA_BUILD%\"}
  TQ_JAVA_BUILD=${TQ_JAVA_BUILD:-$TQ_MAJOR}
  TQ_JAVA_BUILD=${TQ_JAVA_BUILD//[!A-Za-z0-9._-]/_}
}

_tq_try_home() { # succeeds and sets JAVA_HOME when $1 is a JDK home of version 25+
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  _tq_read_release "$1"
  [ -n "$TQ_MAJOR" ] && [ "$TQ_MAJOR" -ge 25 ] 2>/dev/null || return 1
  export JAVA_HOME=$1
}

tq_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && _tq_try_home "${JAVA_HOME%/}"; then return 0; fi
  local j home best= best_major=0
  if j=$(command -v java 2>/dev/null); then
    [ -L "$j" ] && j=$(readlink -f "$j" 2>/dev/null || echo "$j")
    home=${j%/bin/java}
    if [ "$home" != "$j" ] && _tq_try_home "$home"; then return 0; fi
  fi
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*jdk* \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* "$HOME"/.local/share/mise/installs/java/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$home" ] && ! [ -L "$home" ] || continue
    if _tq_try_home "$home" && [ "$TQ_MAJOR" -gt "$best_major" ]; then
      best=$home best_major=$TQ_MAJOR
    fi
  done
  if [ -n "$best" ] && _tq_try_home "$best"; then return 0; fi
  unset JAVA_HOME
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
