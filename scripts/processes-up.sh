#!/usr/bin/env bash
# Starts the three-region mesh with every part as its own process, from the files in
# config/processes/: real Kafka brokers (KRaft, `./mesh kafka-server`, three in us-east-1, one
# each in eu-west-1 and ap-southeast-1, SCRAM-SHA-256 on eu-west-1's client listener), then per
# region a router, the links and an edge, and a control plane, each from its YAML file there
# (`./mesh <service> --config FILE`). Prints where everything is.
# Data, logs and pids go to the run directory ($MESH_PROCESSES_DIR, default .processes/);
# scripts/processes-down.sh stops it all. Needs only a JDK 17+ (./mesh builds the jar once).
#
# Environment: MESH_PROCESSES_DIR (run directory), MESH_JAVA_OPTS (JVM options of every process),
# MESH_MESH_STARTUP_CHECK_TIMEOUT (how long each service waits for its clusters at start, 60s).
# eu-west-1's Kafka user is `mesh` with the demo password `mesh-secret`, as the service files say.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
conf="$root/config/processes"
run="${MESH_PROCESSES_DIR:-$root/.processes}"
scram_password=mesh-secret
regions=(us-east-1 eu-west-1 ap-southeast-1)
# Ready lines are waited for this long; the first start formats storage and builds nothing else.
ready_seconds="${MESH_READY_SECONDS:-180}"
# A dozen JVMs on one machine: small heaps, the serial collector.
export MESH_JAVA_OPTS="${MESH_JAVA_OPTS:--Xmx384m -XX:+UseSerialGC}"
# They start together, so a cluster may take longer than the default 15 s to answer a service's
# start-up check (key mesh.startup.check.timeout): give it a minute.
export MESH_MESH_STARTUP_CHECK_TIMEOUT="${MESH_MESH_STARTUP_CHECK_TIMEOUT:-60s}"

if [ -s "$run/pids" ]; then
  echo "processes-up: $run/pids lists running processes; run scripts/processes-down.sh first" >&2
  exit 1
fi
mkdir -p "$run/logs"
run="$(cd "$run" && pwd)"   # absolute: the processes start in other directories
"$root/mesh" --version >/dev/null   # builds launcher/target/mesh.jar on first use

# bootstrap REGION LISTENER_PORT_OFFSET: every broker's listener of the region (CLIENT: 0, INTERNAL: 100).
bootstrap() {
  local file servers=()
  for file in "$conf/$1"/server-*.properties; do
    local port
    port="$(sed -n 's/^listeners=.*CLIENT:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$file")"
    servers+=("127.0.0.1:$((port + $2))")
  done
  (IFS=,; echo "${servers[*]}")
}

# start_in DIR NAME ARGS...: one `./mesh ARGS` in the background, from DIR. The exec chain
# (subshell, nohup, ./mesh) ends in the JVM, so the pid recorded is the JVM's own.
start_in() {
  local dir="$1" name="$2"; shift 2
  (cd "$dir" && exec nohup "$root/mesh" "$@" >"$run/logs/$name.out" 2>"$run/logs/$name.err" </dev/null) &
  echo "$! $name" >>"$run/pids"
}

# start NAME ARGS...: a service, from the repository root (the service files name paths relative to it).
start() {
  start_in "$root" "$@"
}

# await NAME LINE: until logs/NAME.out has a line starting with LINE; stops everything if NAME died.
await() {
  local name="$1" line="$2" pid waited=0
  pid="$(awk -v n="$name" '$2 == n { print $1 }' "$run/pids")"
  until grep -q "^$line" "$run/logs/$name.out" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$waited" -ge "$ready_seconds" ]; then
      echo "processes-up: $name did not print $line; the end of $run/logs/$name.err:" >&2
      tail -n 20 "$run/logs/$name.err" >&2
      "$root/scripts/processes-down.sh" >&2
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

# A cluster id per region, made once: Kafka's form is 16 random bytes, base64url without padding.
cluster_id() {
  local file="$run/$1.cluster-id"
  [ -s "$file" ] || head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$file"
  cat "$file"
}

echo "Starting Kafka brokers..."
brokers=()
for region in "${regions[@]}"; do
  id="$(cluster_id "$region")"
  for config in "$conf/$region"/server-*.properties; do
    name="$region-kafka-$(basename "$config" .properties | sed 's/server-//')"
    args=(kafka-server --config "$config" --format --cluster-id "$id")
    if grep -q '^listener.security.protocol.map=CLIENT:SASL' "$config"; then
      args+=(--add-scram "SCRAM-SHA-256=[name=mesh,password=$scram_password]")
    fi
    # From the run directory: the server files' relative log.dir is meant to land there.
    start_in "$run" "$name" "${args[@]}"
    brokers+=("$name")
  done
done
for name in "${brokers[@]}"; do await "$name" "KAFKA READY"; done

# eu-west-1's client listener takes SCRAM: a Kafka client config for its user (kafka-*.sh --command-config).
umask 077
cat >"$run/eu-west-1-client.properties" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-256
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="mesh" password="$scram_password";
PROPS
umask 022

echo "Starting routers..."
for region in "${regions[@]}"; do start "$region-router" router --config "$conf/$region/router.yaml"; done
for region in "${regions[@]}"; do await "$region-router" "ROUTER READY"; done

echo "Starting links, edges and the control plane..."
for region in "${regions[@]}"; do
  start "$region-links" links --config "$conf/$region/links.yaml"
  start "$region-edge" edge --config "$conf/$region/edge.yaml"
done
start control-plane control-plane --config "$conf/control-plane.yaml"
for region in "${regions[@]}"; do
  await "$region-links" "LINKS READY"
  await "$region-edge" "EDGE READY"
done
await control-plane "CONTROL PLANE READY"

echo
echo "Meshwork is up, every part its own process (pids in $run/pids, output in $run/logs/):"
for region in "${regions[@]}"; do
  printf '  %-15s Kafka %s  edge %s  router metrics :%s\n' "$region" \
    "$(bootstrap "$region" 0)" \
    "$(sed -n "/name: $region/,/ports/ s/.*http: \([0-9]*\).*/http:\/\/127.0.0.1:\1/p" "$conf/topology.yaml")" \
    "$(sed -n 's/^ *metrics.port: //p' "$conf/$region/router.yaml")"
done
echo "  eu-west-1's Kafka client listener takes SASL/SCRAM-SHA-256: see $run/eu-west-1-client.properties"
echo "  control plane   $(sed -n '/controlPlane:/,/port/ s/.*port: \([0-9]*\).*/http:\/\/127.0.0.1:\1/p' "$conf/topology.yaml")"
echo "Stop with scripts/processes-down.sh (add --clean to delete the data too)."
echo "PROCESSES READY"
