#!/usr/bin/env bash
# Installs LAMMPS (Debian's `lammps` package: the `lmp` command, pair style lj/cut) for the LAMMPS
# comparison project (packages/lammps-check) and the LAMMPS row of bench B4. Run as root;
# idempotent. Without LAMMPS those tests skip with the reason, unless BROKENRECORD_REQUIRE lists
# `lammps` (CI does), and the bench row says why it has no figures.
set -euo pipefail
if command -v lmp >/dev/null 2>&1; then
  echo "install-lammps: LAMMPS $(lmp -h 2>/dev/null | sed -n 's/.*Parallel Simulator - //p' | head -n 1) already installed"
  exit 0
fi
start=$SECONDS
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends lammps
echo "install-lammps: LAMMPS $(lmp -h 2>/dev/null | sed -n 's/.*Parallel Simulator - //p' | head -n 1) installed in $((SECONDS - start)) s"
