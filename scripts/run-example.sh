#!/bin/sh
# The main job until the web server lands: chart the bundled weekly handover example.
set -eu
cd "$(dirname "$0")/.."
mkdir -p build/example
build/purpose spc --target 95 examples/handover_pct60.csv
build/purpose spc --target 95 --format svg -o build/example/handover_pct60.svg examples/handover_pct60.csv
echo "chart written to build/example/handover_pct60.svg (open it in a browser)"
