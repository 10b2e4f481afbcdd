#!/usr/bin/env bash
# Runs every test of SecScan on a fresh machine: installs the system packages the tests use, builds,
# runs the whole suite with a TRX logger, and ends with one line "N passed, N failed" read from the TRX.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests call: qpdf (encrypts and rewrites PDFs in the PDF tests).
need=()
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

results="TestResults"
rm -rf "$results"
status=0
dotnet test SecScan.sln -c Release --logger "trx;LogFileName=tests.trx" --results-directory "$results" || status=$?

trx=$(find "$results" -name '*.trx' | head -n 1)
if [ -z "$trx" ]; then
  echo "no test results were written"
  echo "0 passed, 1 failed"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
passed=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
failed=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
total=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
if [ "${total:-0}" -eq 0 ]; then status=1; fi
echo "${passed} passed, ${failed} failed"
exit $status
