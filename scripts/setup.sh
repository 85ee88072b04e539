#!/usr/bin/env bash
# Prepares a Debian 12 machine for FemHost: checks the .NET SDK and installs Intel MKL (libmkl-rt, from
# Debian's non-free component) so the PARDISO sparse solver is available. Without MKL everything still
# works with the managed sparse solver. Idempotent: does nothing when libmkl_rt.so is already present.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK (10.0) is required: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

mkl_present() {
  # The linker cache can outlive an uninstalled package: trust only files that exist.
  local f
  for f in $(ldconfig -p 2>/dev/null | awk '/libmkl_rt\.so/ {print $NF}') /usr/lib/x86_64-linux-gnu/libmkl_rt.so; do
    [ -e "$f" ] && return 0
  done
  return 1
}

if mkl_present; then
  echo "setup: Intel MKL found (PARDISO available)"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: Intel MKL not found and not running as root; skipping (the managed sparse solver will be used)."
  echo "       As root: apt-get install libmkl-rt (Debian non-free) to enable PARDISO."
  exit 0
fi

echo "setup: installing Intel MKL (libmkl-rt) from Debian non-free ..."
# Debian 12 images list deb.debian.org in /etc/apt/sources.list.d/debian.sources with a Signed-By key;
# a second entry for the same URI must name the same key or apt refuses every source
# ("Conflicting values set for option Signed-By").
added=""
if ! grep -rqs 'bookworm non-free' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  options=""
  if grep -rqs "Signed-By: *$keyring" /etc/apt/sources.list.d/ && [ -f "$keyring" ]; then options="[signed-by=$keyring] "; fi
  echo "deb ${options}http://deb.debian.org/debian bookworm non-free" > /etc/apt/sources.list.d/non-free.list
  added=/etc/apt/sources.list.d/non-free.list
fi
if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libmkl-rt >/dev/null; then
  echo "setup: Intel MKL installed (PARDISO available)"
else
  # Leave apt as we found it, so a failed attempt cannot break the machine's other installs.
  [ -n "$added" ] && rm -f "$added"
  echo "setup: could not install libmkl-rt (offline?); continuing with the managed sparse solver."
fi
