# Sourced by ./mvnw, ./kubectl-remedy and ./benchmark: finds a JDK whose major version is at least $1.
# Looks at JAVA_HOME, the java on PATH, then the usual install folders, newest first,
# so that nobody has to export JAVA_HOME by hand on a machine whose default java is older.

java_version() {
  # Prints a version of the java binary in $1: the JDK's release file's $2 (no JVM started: a tenth of a second
  # saved for every JDK on the machine), else the JVM's property $3, for a JDK without a release file.
  local value
  value=$(sed -n "s/^$2=\"\(.*\)\"\$/\1/p" "$(dirname "$(dirname "$1")")/release" 2>/dev/null | head -n 1)
  if [ -z "$value" ]; then
    value=$("$1" -XshowSettings:properties -version 2>&1 | sed -n "s/^ *$3 = //p" | head -n 1)
  fi
  echo "$value"
}

java_major() {
  # Prints the major version of the java binary in $1 (1.8.0_292 -> 8, 25.0.3 -> 25), or nothing.
  java_version "$1" JAVA_VERSION 'java\.specification\.version' | sed -n 's/^\(1\.\)\{0,1\}\([0-9][0-9]*\).*/\2/p'
}

java_runtime_version() {
  # Prints the full version of the java binary in $1 (25.0.3+9-LTS).
  java_version "$1" JAVA_RUNTIME_VERSION 'java\.runtime\.version'
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

planner_jvm_options() {
  # Sets the array planner_opts to the options the planner runs with on a JDK of major version $1: the launcher
  # and ./benchmark both use them, so that the benchmark's figures are what users get.
  # A batch job that builds a large heap of objects and exits: the throughput collector keeps the heap it grew,
  # where G1 shrank it after each phase and collected over and over (5,000 nodes: 9.3 s -> 4.4 s end to end).
  # Class metadata reaches about 35 MB while CEL, Timefold, fabric8 and Jackson load; with the default first
  # threshold (about 21 MB) that alone set off two or three full collections per run.
  planner_opts=(-XX:+UseParallelGC -XX:MetaspaceSize=128m)
  # protobuf (inside CEL) still uses sun.misc.Unsafe, which JDK 24+ warns about on every start.
  if [ "$1" -ge 24 ]; then
    planner_opts+=(--sun-misc-unsafe-memory-access=allow)
  fi
}
