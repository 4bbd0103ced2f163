# Sourced by ./mvnw and ./kubectl-remedy: finds a JDK whose major version is at least $1.
# Looks at JAVA_HOME, the java on PATH, then the usual install folders, newest first,
# so that nobody has to export JAVA_HOME by hand on a machine whose default java is older.

java_major() {
  # Prints the major version of the java binary in $1, or nothing. The JDK's release file says it without
  # starting a JVM (a tenth of a second each, for every JDK on the machine); only a JDK without one is asked.
  local release major
  release="$(dirname "$(dirname "$1")")/release"
  major=$(sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9][0-9]*\).*/\2/p' "$release" 2>/dev/null | head -n 1)
  if [ -n "$major" ]; then
    echo "$major"
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

java_runtime_version() {
  # Prints the full version of the java binary in $1 (25.0.3+9-LTS), from its release file when it has one.
  local release version
  release="$(dirname "$(dirname "$1")")/release"
  version=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$release" 2>/dev/null | head -n 1)
  if [ -n "$version" ]; then
    echo "$version"
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.runtime\.version = //p' | head -n 1
}

find_jdk() {
  local want=$1 candidate major
  local -a candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
      "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] && candidates+=("$candidate")
  done
  local best="" best_major=0
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    [ -n "$major" ] || continue
    # JAVA_HOME or PATH wins when good enough; otherwise take the newest found.
    if [ "$major" -ge "$want" ] && [ "$candidate" = "${candidates[0]}" ]; then
      echo "$candidate"; return 0
    fi
    if [ "$major" -ge "$want" ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate; best_major=$major
    fi
  done
  [ -n "$best" ] && { echo "$best"; return 0; }
  return 1
}
