#!/usr/bin/env bash
# Prepares a Debian 12 machine for FemHost: checks the .NET SDK and installs Intel MKL (libmkl-rt, from
# Debian's non-free component) so the PARDISO sparse solver is available. Without MKL everything still
# works with the managed sparse solver. Idempotent: does nothing when libmkl_rt.so is already present.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK (10.0) is required: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

if ldconfig -p 2>/dev/null | grep -q 'libmkl_rt\.so' || ls /usr/lib/x86_64-linux-gnu/libmkl_rt.so* >/dev/null 2>&1; then
  echo "setup: Intel MKL found (PARDISO available)"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: Intel MKL not found and not running as root; skipping (the managed sparse solver will be used)."
  echo "       As root: apt-get install libmkl-rt (Debian non-free) to enable PARDISO."
  exit 0
fi

echo "setup: installing Intel MKL (libmkl-rt) from Debian non-free ..."
if ! grep -rqs 'bookworm non-free' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo 'deb http://deb.debian.org/debian bookworm non-free' > /etc/apt/sources.list.d/non-free.list
fi
if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libmkl-rt >/dev/null; then
  echo "setup: Intel MKL installed (PARDISO available)"
else
  echo "setup: could not install libmkl-rt (offline?); continuing with the managed sparse solver."
fi
