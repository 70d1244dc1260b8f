#!/usr/bin/env bash
# Builds the JMH benchmarks and runs them with the GC profiler, printing Gbit/s and bytes
# allocated per segment for the direct stack beside the host kernel's TCP (socket stack).
# Arguments go to JMH, for example a short run:  bench/bench.sh -wi 2 -i 3 -f 1
# The benchmarks are not part of the test run; this is the way to run them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
find_jdk25
mvn -q -B -pl bench -am package -DskipTests
exec java -cp bench/target/benchmarks.jar org.tcpip4j.bench.BenchReport "$@"
