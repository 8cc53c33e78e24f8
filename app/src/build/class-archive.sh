#!/bin/sh
# Makes the AppCDS archive (class data sharing) that app/jvm.options names, app/target/accomplishments-validator.jsa:
# the classes the service loads until its first /health answer, parsed and verified once here instead of at every
# start (start to /health UP: docs/benchmarks.md "Start-up"). Run by `mvn package` (exec-maven-plugin, after the
# fat jar is built); skip it with -Dclass-archive.skip.
#
# How: one training run of the fat jar as the README starts it (java @app/jvm.options ... -jar), on a throwaway
# data directory, the example collections and a random loopback port; after "Startup completed" and one /health
# request it is stopped with SIGTERM and the JVM writes the classes it loaded (-XX:ArchiveClassesAtExit). The jar
# is named by its absolute path, which the archive records, so the archive serves `-jar app/target/...` from the
# repository root as well as the tests' absolute paths.
#
# Never fails the build: an archive that is missing (this run failed), stale (the jar was rebuilt since) or made by
# another JVM only costs speed, because the JVM then starts without it (-Xshare:auto, the default). A failed run
# removes the old archive and says why. The training run's own output is kept in target/class-archive.log.
#
#   class-archive.sh REPO_ROOT JAR ARCHIVE
set -u
REPO=$1
JAR=$2
ARCHIVE=$3
JAVA=${JAVA:-java}
TIMEOUT=${CLASS_ARCHIVE_TIMEOUT:-120}

say() { echo "class-archive: $*" >&2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/validator-class-archive.XXXXXX") || exit 0
LOG=$(dirname "$ARCHIVE")/class-archive.log
pid=
cleanup() {
    if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null; fi
    rm -rf "$WORK"
    rm -f "$ARCHIVE.new"
}
trap cleanup EXIT
give_up() {
    say "$1; no class archive (the service starts without one, only slower). Last lines of $LOG:"
    tail -5 "$LOG" >&2
    rm -f "$ARCHIVE"
    exit 0
}

rm -f "$ARCHIVE.new"
cd "$REPO" || give_up "no repository root $REPO"
# app/jvm.options names the archive being replaced, and the JVM dumps a new one only on top of the JDK's own base
# archive: name that one instead (a later option wins).
home=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')
BASE=$home/lib/server/classes.jsa
[ -r "$BASE" ] || give_up "this JDK has no base class archive ($BASE)"
: >"$LOG" # emptied before the run starts: the wait below must not read the last run's "Startup completed"
# -Xlog:cds=off: the dump lists every class it cannot archive (JFR events, classes that failed verification),
# which is expected and not for the build log.
"$JAVA" @app/jvm.options -XX:SharedArchiveFile="$BASE" -XX:ArchiveClassesAtExit="$ARCHIVE.new" \
    -Xlog:cds=off -Xlog:cds+dynamic=off \
    -Dvalidator.data-dir="$WORK/data" -Dvalidator.collections.path=examples/collections \
    -Dvalidator.shares.backend=local -Dmicronaut.server.host=127.0.0.1 -Dmicronaut.server.port=-1 \
    -jar "$JAR" >"$LOG" 2>&1 &
pid=$!

waited=0
url=
while :; do
    url=$(sed -n 's/.*Startup completed in .*Server Running: \(http:[^ ]*\).*/\1/p' "$LOG" | head -1)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || give_up "the training run ended before it started"
    [ "$waited" -ge $((TIMEOUT * 10)) ] && give_up "the training run did not start within $TIMEOUT s"
    sleep 0.1
    waited=$((waited + 1))
done
# The first request's classes (Netty's pipeline, the security filter, JSON) belong in the archive too.
if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null --max-time 30 "$url/health" || true
fi
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
# 143: the JVM's exit status after SIGTERM.
if { [ "$status" != 0 ] && [ "$status" != 143 ]; } || [ ! -s "$ARCHIVE.new" ]; then
    give_up "the training run wrote no archive (exit status $status)"
fi
mv -f "$ARCHIVE.new" "$ARCHIVE"
say "wrote $ARCHIVE ($(( $(wc -c <"$ARCHIVE") / 1048576 )) MiB)"
