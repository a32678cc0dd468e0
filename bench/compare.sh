#!/usr/bin/env bash
# Side by side, on the same state files and in one run: `multiregion check --state`
# against `pulumi policy analyze --file` with the same policy pack (the real
# Pulumi CLI, see tools/build-pulumi.sh). Prints wall time and peak memory of
# each, from /usr/bin/time -v, and the ratio. Usage: bench/compare.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

./tools/build-pulumi.sh >/dev/null
go build -o "$work/multiregion" ./cmd/multiregion
go build -o "$work/multiregion-policies" ./policies/pack
export PULUMI_HOME="$work/home" PULUMI_CONFIG_PASSPHRASE= PULUMI_SKIP_UPDATE_CHECK=true NO_COLOR=1
mkdir -p "$PULUMI_HOME"

states=()
for env in prod prod-eu global; do
  "$work/multiregion" plan --stack "$env" --out-state "$work/$env.json" >/dev/null
  states+=("$env")
done
for n in 1000 10000 100000; do
  go run ./internal/synth/synthstate -n "$n" -o "$work/synthetic-$n.json"
  states+=("synthetic-$n")
done

# measure CMD...: prints "seconds peak_MiB" of the best of $runs runs
measure() {
  local best="" mem=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || true
    local s m
    s=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); print (n==3? a[1]*3600+a[2]*60+a[3] : a[1]*60+a[2])}' "$work/time.txt")
    m=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/time.txt")
    if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; mem=$m; fi
  done
  echo "$best $mem"
}

read -r ps pm < <(measure "$work/multiregion" plan --stack prod)
printf "multiregion plan --stack prod (prebuilt binary): %.2f s, %d MiB peak\n\n" "$ps" "$pm"

printf "| state | resources | multiregion check --state | pulumi policy analyze --file | time ratio | memory ratio |\n"
printf "|---|---:|---:|---:|---:|---:|\n"
for st in "${states[@]}"; do
  file="$work/$st.json"
  count=$(grep -o '"urn"' "$file" | wc -l)
  read -r ms mm < <(measure "$work/multiregion" check --state "$file")
  read -r ps pm < <(measure bin/pulumi policy analyze --file "$file" --policy-pack "$work/multiregion-policies" --non-interactive)
  ratio=$(awk "BEGIN{printf \"%.1fx\", $ps/$ms}")
  mratio=$(awk "BEGIN{printf \"%.1fx\", $pm/$mm}")
  printf "| %s | %d | %.2f s, %d MiB | %.2f s, %d MiB | %s | %s |\n" "$st" "$count" "$ms" "$mm" "$ps" "$pm" "$ratio" "$mratio"
done
