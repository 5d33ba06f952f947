#!/usr/bin/env bash
# Installs a software Vulkan driver (Mesa lavapipe) for running the WebGPU backend in Node on a
# machine without a GPU. Run as root; idempotent.
#
# Why not just `apt-get install mesa-vulkan-drivers`: bookworm's own Mesa (22.3) lavapipe lacks
# features Dawn requires (it rejects the adapter), while Mesa >= 25 from bookworm-backports works.
# Installing the backports package system-wide would upgrade the machine's Mesa, so the .deb is
# fetched with a private apt state (the system's sources and package lists stay untouched) and
# unpacked into this package's .vendor/mesa. The tests point VK_ICD_FILENAMES at the ICD json
# written here (vitest.config.ts does it when the file exists and the variable is unset).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor="$here/.vendor/mesa"
icd="$here/.vendor/lvp_icd.json"
min_major=25

have_lavapipe() {
  local lib="$vendor/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so"
  [[ -f "$icd" && -f "$lib" ]] && grep -q "$lib" "$icd" || return 1
  local version
  version="$(cat "$vendor/VERSION" 2>/dev/null || echo 0)"
  [[ "${version%%.*}" -ge $min_major ]]
}

if [[ "$(dpkg --print-architecture)" != amd64 ]]; then
  echo "install-lavapipe: only amd64 is handled (got $(dpkg --print-architecture))" >&2
  exit 1
fi

# The Vulkan loader comes from the distribution itself.
if ! dpkg -s libvulkan1 >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends libvulkan1
fi

if have_lavapipe; then
  echo "install-lavapipe: Mesa $(cat "$vendor/VERSION") lavapipe already at $vendor"
  exit 0
fi

# A private apt configuration: the backports suite of the mirror the machine already uses.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
  [[ -f "$f" ]] || continue
  # deb822 stanzas: take the URIs of the stanza whose Suites name the plain release.
  mirror="$(awk '
    /^URIs:/ { uris = $2 }
    /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") found = 1 }
    /^$/ { if (found && uris != "") { print uris; printed = 1; exit } uris = ""; found = 0 }
    END { if (!printed && found && uris != "") print uris }
  ' "$f")"
  [[ -n "$mirror" ]] && break
done
if [[ -z "$mirror" && -f /etc/apt/sources.list ]]; then
  # One-line format: deb URI SUITE COMPONENTS...
  mirror="$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

mkdir -p "$work/state/lists/partial" "$work/cache/archives/partial" "$work/etc/preferences.d" "$work/etc/sources.list.d"
cat > "$work/etc/sources.list.d/backports.sources" <<SRC
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: $keyring
SRC
: > "$work/etc/sources.list"
apt_private=(
  -o "Dir::State=$work/state"
  -o "Dir::State::status=/var/lib/dpkg/status"
  -o "Dir::Cache=$work/cache"
  -o "Dir::Etc::sourcelist=$work/etc/sources.list"
  -o "Dir::Etc::sourceparts=$work/etc/sources.list.d"
  -o "Dir::Etc::preferencesparts=$work/etc/preferences.d"
  -o "APT::Default-Release=bookworm-backports"
  # The private directories belong to root; apt's download sandbox user could not write them.
  -o "APT::Sandbox::User=root"
)
echo "install-lavapipe: reading bookworm-backports from $mirror"
apt-get "${apt_private[@]}" update -qq
version="$(apt-cache "${apt_private[@]}" show mesa-vulkan-drivers 2>/dev/null | awk '/^Version:/ { print $2 }' | sort -V | tail -n 1)"
if [[ -z "$version" ]]; then
  echo "install-lavapipe: mesa-vulkan-drivers not found in bookworm-backports" >&2
  exit 1
fi
upstream="${version#*:}"
if [[ "${upstream%%.*}" -lt $min_major ]]; then
  echo "install-lavapipe: bookworm-backports has Mesa $version, need >= $min_major" >&2
  exit 1
fi
(cd "$work" && apt-get "${apt_private[@]}" download "mesa-vulkan-drivers=$version")
deb="$(ls "$work"/mesa-vulkan-drivers_*.deb)"

rm -rf "$vendor"
mkdir -p "$vendor"
dpkg -x "$deb" "$vendor"
lib="$vendor/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so"
if [[ ! -f "$lib" ]]; then
  echo "install-lavapipe: $deb has no libvulkan_lvp.so" >&2
  exit 1
fi
echo "${upstream%%-*}" > "$vendor/VERSION"
printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$lib" > "$icd"
echo "install-lavapipe: Mesa ${upstream%%-*} lavapipe unpacked; VK_ICD_FILENAMES=$icd"
