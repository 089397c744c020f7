#!/usr/bin/env bash
# Runs the standard outbox scenario (Tests/Fixtures/outbox-standard: master data, receipts and orders
# that reach every document of the built-in layouts) through an orderflow executable, in a new home.
#   tools/outbox-scenario.sh BINARY HOME
# The outbox it leaves is what Tests/Fixtures/outbox-standard/expected holds: those files were made with
# the engine from before output mappings (a9fcb04), and StandardOutboxTests checks that a home without
# output mappings still writes them byte for byte.
set -euo pipefail
bin=$1
home=$2
fixture="$(cd "$(dirname "$0")/.." && pwd)/Tests/Fixtures/outbox-standard"
rm -rf "$home"
"$bin" init --home "$home" > /dev/null
cp "$fixture/rules.yaml" "$home/rules.yaml"
i=0
for feed in customers products suppliers receipts orders; do
    for file in "$fixture/inbox/$feed"/*; do
        mkdir -p "$home/inbox/$feed"
        cp "$file" "$home/inbox/$feed/"
        touch -d "@$((1700000000 + i))" "$home/inbox/$feed/$(basename "$file")"
        i=$((i + 1))
    done
done
"$bin" cycle --home "$home" --now 2026-11-27T09:00:00Z > /dev/null
