#!/usr/bin/env bash
# Benchmarks nlsh against the raw floor, whole process, in a private network
# namespace that is removed afterwards.
#
#   sudo bench/run.sh                 # 100k routes
#   ROUTES=1000000 sudo bench/run.sh  # 1M routes
set -euo pipefail
cd "$(dirname "$0")"
routes="${ROUTES:-100000}"
runs="${RUNS:-7}"
ns="nlsh-bench-$$"
bin="$(pwd)/bin"
mkdir -p "$bin"
go build -o "$bin/" ./cmd/rawdump ./cmd/nlshdump ./cmd/measure

ip netns add "$ns"
trap 'ip netns delete "$ns"' EXIT
ip -n "$ns" link set lo up
ip -n "$ns" link add v0 type veth peer name v1
ip -n "$ns" link set v0 up
ip -n "$ns" addr add 10.255.0.1/16 dev v0
python3 - "$routes" > "$bin/routes.batch" <<'PY'
import sys
n = int(sys.argv[1])
for i in range(n):
    print(f"route add 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}/32 dev v0 table 100")
PY
ip -n "$ns" -batch "$bin/routes.batch"
echo "loaded $(ip -n "$ns" route show table 100 | wc -l) routes into table 100 ($(uname -r), $(nproc) cores)"
"$bin/measure" -runs "$runs" \
  "raw:$bin/rawdump -netns $ns -table 100" \
  "nlsh-go:$bin/nlshdump -netns $ns -table 100"
