#!/usr/bin/env bash
# The device check in one call: the device against the host launcher (CUBA, Brunel, the microcircuit at scale 0.1, a
# training step through the device's GEMM) and the device's benchmarks, written to one JSON (docs/performance.md#device-check).
#
#   scripts/device-check.sh publish
#       on a machine with the .NET SDK: a self-contained, trimmed publish into publish/device-check (no libtorch, no SDK
#       needed to run it; it fails above 60 MB). Carry that folder to the GPU machine.
#   scripts/device-check.sh [--device cuda|opencl|ilgpu-cpu-emulator] [--size tiny|full] [--json FILE]
#       runs publish/device-check/spikesim-device-check (publishing it first where the SDK is here and the folder is not).
#       Defaults: --device cuda --size full. Exit 0: every check passed; 1: a check failed; 2: bad arguments; 3: no such device.
set -euo pipefail
cd "$(dirname "$0")/.."
out=publish/device-check
limit_mb=60

publish() {
  # No global properties beyond the build's own (-c Release): they would flow to the referenced libraries and rebuild
  # them in their shared bin/ folders (-p:DebugType=none once deleted their .pdb files there, under a test run that was
  # building other projects against them). The symbol files are dropped from the publish instead.
  dotnet publish Examples/SpikeSim.DeviceCheck/SpikeSim.DeviceCheck.csproj -c Release -r linux-x64 --self-contained \
    -o "$out" --nologo -v quiet
  find "$out" -name '*.pdb' -delete
  local mb
  mb=$(( $(du -sk "$out" | cut -f1) / 1024 ))
  echo "published $out: $mb MB"
  if [ "$mb" -gt "$limit_mb" ]; then
    echo "error: the device check's publish is $mb MB, over the $limit_mb MB it may take to a GPU machine." >&2
    exit 1
  fi
}

if [ "${1:-}" = publish ]; then
  publish
  exit 0
fi
if [ ! -x "$out/spikesim-device-check" ]; then
  if ! command -v dotnet >/dev/null; then
    echo "error: $out is missing and there is no .NET SDK here to publish it; run 'scripts/device-check.sh publish' on a machine with one and copy $out here." >&2
    exit 2
  fi
  publish
fi
exec "$out/spikesim-device-check" "$@"
