#!/usr/bin/env bash
# Installs the system libraries Qt (PySide6) loads to open a window on Linux, and with --test
# the X server and tools the real-window tests drive it with. The list is ui/shell/platform_libraries.py's.
# Installs as root with apt-get (or dnf, pacman); otherwise names what is missing, with the
# command that installs it, and carries on, so a build never fails here.
#
#   scripts/install-system-deps.sh           what the app needs to run
#   scripts/install-system-deps.sh --test    that, and Xvfb, xdotool and xwd for `make test`
set -euo pipefail

[ "$(uname -s)" = Linux ] || exit 0
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
extra=()
[ "${1:-}" = --test ] && extra=(--test)

if command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1; then
    manager=apt
elif command -v dnf >/dev/null 2>&1; then
    manager=dnf
elif command -v pacman >/dev/null 2>&1; then
    manager=pacman
else
    echo "netsim: no apt-get, dnf or pacman here; Qt needs the libraries listed in ui/shell/platform_libraries.py" >&2
    exit 0
fi

# the names of the installed packages among "$@", one a line, asked of the package manager once
installed_among() {
    case $manager in
        apt) dpkg-query -W -f='${db:Status-Status} ${Package}\n' "$@" 2>/dev/null \
                 | awk '$1 == "installed" {print $2}' ;;
        dnf) rpm -q --qf '%{NAME}\n' "$@" 2>/dev/null | grep -v 'is not installed' ;;
        pacman) pacman -Q "$@" 2>/dev/null | cut -d' ' -f1 ;;
    esac || true
}

apt_knows() {
    apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [^(]'
}

# "libglib2.0-0t64|libglib2.0-0": installed under either name is enough; otherwise the
# first name this system's apt knows (Debian 13 renamed some libraries with a t64 suffix).
mapfile -t entries < <("$PYTHON" ui/shell/platform_libraries.py "$manager" "${extra[@]}")
mapfile -t all_names < <(printf '%s\n' "${entries[@]}" | tr '|' '\n')
have=" $(installed_among "${all_names[@]}" | tr '\n' ' ') "
wanted=()
missing=()
for entry in "${entries[@]}"; do
    IFS='|' read -r -a names <<< "$entry"
    found=false
    for name in "${names[@]}"; do
        if [[ $have == *" $name "* ]]; then found=true; break; fi
    done
    $found || wanted+=("$entry")
done

[ ${#wanted[@]} -eq 0 ] && exit 0

if [ $manager = apt ] && [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || echo "netsim: apt-get update failed; trying the package lists we have" >&2
fi
for entry in "${wanted[@]}"; do
    IFS='|' read -r -a names <<< "$entry"
    choice=${names[-1]}
    if [ $manager = apt ]; then
        for name in "${names[@]}"; do
            if apt_knows "$name"; then choice=$name; break; fi
        done
    fi
    missing+=("$choice")
done

if [ "$(id -u)" -eq 0 ]; then
    echo "netsim: installing system packages Qt needs: ${missing[*]}" >&2
    case $manager in
        apt) apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ;;
        dnf) dnf install -y "${missing[@]}" ;;
        pacman) pacman -S --noconfirm --needed "${missing[@]}" ;;
    esac || echo "netsim: could not install ${missing[*]}; Qt may fail to open a window" >&2
else
    case $manager in
        apt) how="sudo apt-get install" ;;
        dnf) how="sudo dnf install" ;;
        pacman) how="sudo pacman -S" ;;
    esac
    echo "netsim: Qt needs these system packages, which are missing: ${missing[*]}" >&2
    echo "netsim: install them with: $how ${missing[*]}" >&2
fi
