#!/usr/bin/env bash
# The benchmark suite: nlsh against the raw floor and the tools users would
# otherwise pick, whole process, in private network namespaces that are
# removed afterwards.
#
#   sudo bench/run.sh                  # 100k-route dumps and the rest
#   ROUTES=1000000 sudo bench/run.sh   # 1M-route dumps
#   RUNS=3 sudo bench/run.sh           # fewer runs
#   SECTIONS="links genl" sudo bench/run.sh   # only some of the sections:
#                     routes (route dump), add, links, genl (ethtool), startup
set -euo pipefail
cd "$(dirname "$0")"
routes="${ROUTES:-100000}"
runs="${RUNS:-7}"
adds="${ADDS:-10000}"
sections=" ${SECTIONS:-routes add links genl startup} "
want() { [[ "$sections" == *" $1 "* ]]; }
ns="nlsh-bench-$$"
lns="nlsh-bench-links-$$"
bin="$(pwd)/bin"
mkdir -p "$bin"
go build -o "$bin/" ./cmd/...
(cd .. && go build -o "$bin/nlsh" ./cmd/nlsh)
nlsh="$bin/nlsh"

cleanup() { ip netns delete "$ns" 2>/dev/null || true; ip netns delete "$lns" 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT   # so that the EXIT trap runs on a signal too
trap 'exit 143' TERM
echo "# nlsh benchmarks, $(date -u +%Y-%m-%d), Linux $(uname -r), $(nproc) cores"

if want routes || want add; then
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip -n "$ns" link add v0 type veth peer name v1
  ip -n "$ns" link set v0 up
  ip -n "$ns" link set v1 up
  oif=$(ip netns exec "$ns" cat /sys/class/net/v0/ifindex)
  # awk, not python: a fresh machine has only Go, gcc and iproute2 (and the
  # Debian base system, whose awk is mawk).
  routes_batch() { # COUNT FIRST-OCTET TABLE
    awk -v n="$1" -v a="$2" -v t="$3" 'BEGIN { for (i = 0; i < n; i++)
      printf "route add %d.%d.%d.%d/32 dev v0 table %d\n", a, int(i / 65536) % 256, int(i / 256) % 256, i % 256, t }'
  }
  routes_batch "$routes" 10 100 > "$bin/routes.batch"
  ip -n "$ns" -batch "$bin/routes.batch"
  routes_batch "$adds" 14 200 > "$bin/adds.batch"
  echo "$(ip -n "$ns" route show table 100 | wc -l) routes in table 100"
fi

if want routes; then
  "$bin/measure" -runs "$runs" -title "Dump $routes IPv4 /32 routes of one table" \
    "raw:$bin/rawdump -netns $ns -table 100" \
    "nlsh-go:$bin/nlshdump -netns $ns -table 100" \
    "nlsh-script:$nlsh -n $ns scripts/dump.star 100" \
    "ip-j:ip -n $ns -j route show table 100" \
    "vishvananda:$bin/vishdump -netns $ns -table 100" \
    "jsimonetti:$bin/rtnldump -netns $ns -table 100"
fi

if want add; then
  "$bin/measure" -runs "$runs" -title "Add $adds routes" -reset "ip -n $ns route flush table 200" \
    "raw-pipelined:$bin/rawadd -netns $ns -n $adds -table 200 -oif $oif -base 11" \
    "nlsh-script-batch:$nlsh -n $ns scripts/add.star 200 $adds 12 v0" \
    "nlsh-go:$bin/nlshadd -netns $ns -n $adds -table 200 -oif $oif -base 12" \
    "ip-batch:ip -n $ns -batch $bin/adds.batch" \
    "vishvananda-loop:$bin/vishadd -netns $ns -n $adds -table 200 -oif $oif -base 13"
fi

if want links || want genl; then
  ip netns add "$lns"
  awk 'BEGIN { for (i = 0; i < 1000; i++) printf "link add a%d type veth peer name b%d\n", i, i }' > "$bin/links.batch"
  ip -n "$lns" -batch "$bin/links.batch"
fi

if want links; then
  "$bin/measure" -runs "$runs" -title "Dump $(ip -n "$lns" -o link | wc -l) links" \
    "raw:$bin/rawdump -netns $lns -links" \
    "nlsh-go:$bin/nlshdump -netns $lns -links" \
    "nlsh-script:$nlsh -n $lns -c len(ip.link.list())" \
    "ip-j:ip -n $lns -j link show" \
    "vishvananda:$bin/vishdump -netns $lns -links" \
    "jsimonetti:$bin/rtnldump -netns $lns -links"
fi

if want genl; then
  # One reply per veth end: lo has no link settings, so ethtool's linkinfo
  # dump skips it (its linkstate dump does not). The ethtool CLI reads one
  # device per process and is left out.
  "$bin/measure" -runs "$runs" -title "Dump ethtool linkinfo of $("$bin/rawgenldump" -netns "$lns") devices" \
    "raw:$bin/rawgenldump -netns $lns" \
    "nlsh-go:$bin/nlshethtool -netns $lns" \
    "nlsh-script:$nlsh -n $lns -c len(ethtool.linkinfo())" \
    "mdlayher:$bin/mdlethtool -netns $lns"

  "$bin/measure" -runs "$runs" -title "Dump ethtool linkstate of $("$bin/rawgenldump" -netns "$lns" -linkstate) devices" \
    "raw:$bin/rawgenldump -netns $lns -linkstate" \
    "nlsh-go:$bin/nlshethtool -netns $lns -linkstate" \
    "nlsh-script:$nlsh -n $lns -c len(ethtool.linkstate())" \
    "mdlayher:$bin/mdlethtool -netns $lns -linkstate"
fi

if want startup; then
  "$bin/measure" -runs "$runs" -title "Startup" \
    "true:/bin/true" \
    "nlsh:$nlsh -c pass"
fi
