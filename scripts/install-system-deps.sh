#!/usr/bin/env bash
# Installs the Debian libraries that Qt (PySide6) loads at run time, if any are missing.
# Installs only as root with apt-get; otherwise it names what is missing and carries on,
# so a build never fails here.
set -euo pipefail

[ "$(uname -s)" = Linux ] || exit 0
command -v dpkg >/dev/null 2>&1 || exit 0

installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

apt_knows() {
    apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [^(]'
}

# Debian 13 renamed libglib2.0-0 to libglib2.0-0t64; pick the name this system's apt knows.
glib_package() {
    local name
    for name in libglib2.0-0t64 libglib2.0-0; do
        if apt_knows "$name"; then
            echo "$name"
            return
        fi
    done
    echo libglib2.0-0
}

missing=()
for package in libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core; do
    installed "$package" || missing+=("$package")
done
glib_missing=false
installed libglib2.0-0t64 || installed libglib2.0-0 || glib_missing=true

if [ ${#missing[@]} -eq 0 ] && ! $glib_missing; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || echo "netsim: apt-get update failed; trying the package lists we have" >&2
    if $glib_missing; then
        missing+=("$(glib_package)")
    fi
    echo "netsim: installing system packages Qt needs: ${missing[*]}" >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        || echo "netsim: could not install ${missing[*]}; Qt may fail to start" >&2
else
    if $glib_missing; then
        missing+=("libglib2.0-0t64 (or libglib2.0-0 before Debian 13)")
    fi
    echo "netsim: Qt needs these system packages, which are missing: ${missing[*]}" >&2
    echo "netsim: install them as root with apt-get install, then run make again" >&2
fi
