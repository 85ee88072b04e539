#!/usr/bin/env bash
# Prepares a Debian 12 machine for FemHost: checks the .NET SDK, installs Intel MKL (libmkl-rt, from Debian's
# non-free component) so the PARDISO sparse solver is available, and GNU Fortran (gfortran) so the Umat plug-in
# can compile Abaqus UMAT sources. Installing needs root and a network; otherwise the script says what it skips:
# without MKL the managed sparse solver is used, without gfortran only prebuilt UMAT libraries (.so) can run
# (and the Umat tests fail). Idempotent: does nothing when both are present.
#
# The non-free component is enabled by adding it to the Components of the machine's existing Debian archive
# entries (deb822 /etc/apt/sources.list.d/debian.sources, one-line /etc/apt/sources.list), so the machine's own
# mirror, snapshot and Signed-By key stay as they are; the files are restored if the install fails.
# `source scripts/setup.sh` defines the functions without running anything (tests/FemHost.Tests/SetupScriptTests.cs).
set -euo pipefail

# Whether an APT URI is a Debian archive (any mirror or snapshot of .../debian or .../debian-security).
# Third-party repositories that happen to use the suite name bookworm (packages.sury.org/php, ...) are not.
debian_archive_uri() {
  [[ "$1" =~ ^[a-z+]+://[^[:space:]]+/debian(-security)?(/[0-9]{8}T[0-9]{6}Z)?/?$ ]]
}

# Whether a suite is one of Debian 12's: bookworm, bookworm-updates, bookworm-security, bookworm-backports, ...
bookworm_suite() {
  [[ "$1" == bookworm || "$1" == bookworm-* ]]
}

# enable_non_free FILE: adds the component non-free to every active entry of FILE that is a Debian archive entry
# for a bookworm suite and lists the component main (one-line "deb URI SUITE main ..." lines, or deb822 stanzas
# "URIs: / Suites: / Components: main ..."). Everything else (comments, options, other entries, order) is kept
# byte for byte; an entry that already lists non-free is left alone, so running it twice changes nothing. The
# file is rewritten only if something changes. Needs no root on a file the caller may write.
enable_non_free() {
  local file=$1 tmp
  [[ -f "$file" ]] || return 0
  tmp=$(mktemp)
  if [[ "$file" == *.sources ]]; then
    _enable_non_free_deb822 <"$file" >"$tmp"
  else
    _enable_non_free_one_line <"$file" >"$tmp"
  fi
  if cmp -s "$file" "$tmp"; then
    rm -f "$tmp"
  else
    # Same inode, owner and mode: overwrite in place rather than replacing the file.
    cat "$tmp" >"$file"
    rm -f "$tmp"
  fi
}

_has_word() { # _has_word WORD LIST...
  local w=$1 x
  shift
  for x in "$@"; do [[ "$x" == "$w" ]] && return 0; done
  return 1
}

# _parse_one_line LINE: for an active "deb [options] URI SUITE COMPONENT..." line of a Debian archive for a
# bookworm suite, sets _COMPONENTS (an array) and succeeds; fails for anything else (comments, other repositories).
_parse_one_line() {
  local rest
  local -a words
  [[ "$1" =~ ^[[:space:]]*deb(-src)?[[:space:]] ]] || return 1
  rest=${1#*deb}
  rest=${rest#-src}
  if [[ "$rest" =~ ^[[:space:]]*\[[^]]*\](.*)$ ]]; then rest=${BASH_REMATCH[1]}; fi
  rest=${rest%%#*}
  read -r -a words <<<"$rest"
  ((${#words[@]} >= 3)) && debian_archive_uri "${words[0]}" && bookworm_suite "${words[1]}" || return 1
  _COMPONENTS=("${words[@]:2}")
}

# _parse_stanza LINE...: for an enabled deb822 stanza with a Debian archive URI and a bookworm suite, sets
# _COMPONENTS and succeeds; fails for anything else.
_parse_stanza() {
  local line field value uris="" suites="" components="" enabled=yes u s
  for line in "$@"; do
    [[ "$line" =~ ^([A-Za-z-]+):[[:space:]]*(.*)$ ]] || continue
    field=${BASH_REMATCH[1],,} value=${BASH_REMATCH[2]}
    case "$field" in
      uris) uris=$value ;;
      suites) suites=$value ;;
      components) components=$value ;;
      enabled) [[ "${value,,}" == no ]] && enabled=no ;;
    esac
  done
  [[ "$enabled" == yes ]] || return 1
  for u in $uris; do
    debian_archive_uri "$u" || continue
    for s in $suites; do
      if bookworm_suite "$s"; then
        read -r -a _COMPONENTS <<<"$components"
        return 0
      fi
    done
  done
  return 1
}

# _each_entry FILE CALLBACK: calls CALLBACK once per line (one-line format) or per stanza (deb822, lines as
# arguments) of FILE, and passes blank lines between stanzas through unchanged.
_each_entry() {
  local file=$1 callback=$2 line
  local -a stanza=()
  if [[ "$file" != *.sources ]]; then
    while IFS= read -r line || [[ -n "$line" ]]; do "$callback" one-line "$line"; done <"$file"
    return
  fi
  while IFS= read -r line || [[ -n "$line" ]]; do
    if [[ -z "${line//[[:space:]]/}" ]]; then
      ((${#stanza[@]} == 0)) || "$callback" deb822 "${stanza[@]}"
      stanza=()
      printf '%s\n' "$line"
    else
      stanza+=("$line")
    fi
  done <"$file"
  ((${#stanza[@]} == 0)) || "$callback" deb822 "${stanza[@]}"
}

_trim_end() { printf '%s' "${1%"${1##*[![:space:]]}"}"; }

# Prints an entry, with non-free added when it is a Debian bookworm entry that lists main but not non-free.
_edit_entry() {
  local format=$1 line
  shift
  local -a _COMPONENTS=()
  if [[ "$format" == one-line ]]; then
    if _parse_one_line "$1" && _has_word main "${_COMPONENTS[@]}" && ! _has_word non-free "${_COMPONENTS[@]}"; then
      if [[ "$1" =~ ^([^#]*[^#[:space:]])([[:space:]]*#.*)$ ]]; then
        printf '%s non-free%s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
      else
        printf '%s non-free\n' "$(_trim_end "$1")"
      fi
    else
      printf '%s\n' "$1"
    fi
    return
  fi
  local add=no
  if _parse_stanza "$@" && _has_word main "${_COMPONENTS[@]}" && ! _has_word non-free "${_COMPONENTS[@]}"; then add=yes; fi
  for line in "$@"; do
    if [[ "$add" == yes && "$line" =~ ^[Cc]omponents:[[:space:]] ]]; then
      printf '%s non-free\n' "$(_trim_end "$line")"
    else
      printf '%s\n' "$line"
    fi
  done
}

# Prints "yes" for each Debian bookworm entry that already lists non-free.
_query_entry() {
  local format=$1
  shift
  local -a _COMPONENTS=()
  if [[ "$format" == one-line ]]; then
    _parse_one_line "$1" || return 0
  else
    _parse_stanza "$@" || return 0
  fi
  if _has_word non-free "${_COMPONENTS[@]}"; then echo yes; fi
  return 0
}

# enable_non_free FILE: adds the component non-free to every active entry of FILE that is a Debian archive entry
# for a bookworm suite and lists the component main (one-line "deb URI SUITE main ..." lines of a .list file or
# sources.list, or deb822 stanzas "URIs: / Suites: / Components: main ..." of a .sources file). Everything else
# (comments, options, other repositories, order, Signed-By) is kept byte for byte; an entry that already lists
# non-free is left alone, so running it twice changes nothing. The file is rewritten in place (same owner and
# mode) only if something changes. Needs no root on a file the caller may write.
enable_non_free() {
  local file=$1 tmp
  [[ -f "$file" ]] || return 0
  tmp=$(mktemp)
  _each_entry "$file" _edit_entry >"$tmp"
  # The loop ends every line with a newline: keep a last line that had none as it was.
  if [[ -s "$file" && -n "$(tail -c 1 "$file")" ]]; then truncate -s -1 "$tmp"; fi
  if ! cmp -s "$file" "$tmp"; then cat "$tmp" >"$file"; fi
  rm -f "$tmp"
}

# non_free_listed_in FILE: whether an active Debian archive entry of FILE for bookworm already lists non-free.
non_free_listed_in() {
  [[ -f "$1" ]] || return 1
  [[ -n "$(_each_entry "$1" _query_entry | grep -x yes || true)" ]]
}

SOURCES_BACKUP=""

# backup_sources FILE...: copies each existing FILE aside so that restore_sources can put it back.
backup_sources() {
  local f
  SOURCES_BACKUP=$(mktemp -d)
  for f in "$@"; do
    [[ -f "$f" ]] || continue
    mkdir -p "$SOURCES_BACKUP$(dirname "$f")"
    cp -p "$f" "$SOURCES_BACKUP$f"
  done
}

# restore_sources: writes the backed-up files back (content, mode and times), then drops the backup.
restore_sources() {
  [[ -n "$SOURCES_BACKUP" && -d "$SOURCES_BACKUP" ]] || return 0
  local f
  while IFS= read -r -d '' f; do
    cat "$f" >"${f#"$SOURCES_BACKUP"}"
    touch -r "$f" "${f#"$SOURCES_BACKUP"}"
  done < <(find "$SOURCES_BACKUP" -type f -print0)
  rm -rf "$SOURCES_BACKUP"
  SOURCES_BACKUP=""
}

drop_backup() {
  [[ -n "$SOURCES_BACKUP" ]] && rm -rf "$SOURCES_BACKUP"
  SOURCES_BACKUP=""
}

# FEMHOST_SETUP_ROOT (tests only) puts /etc/apt and /usr/lib under another folder.
SETUP_ROOT=${FEMHOST_SETUP_ROOT:-}

mkl_present() {
  # The linker cache can outlive an uninstalled package: trust only files that exist.
  local f
  for f in $(ldconfig -p 2>/dev/null | awk '/libmkl_rt\.so/ {print $NF}') "$SETUP_ROOT/usr/lib/x86_64-linux-gnu/libmkl_rt.so"; do
    [ -e "$f" ] && return 0
  done
  return 1
}

gfortran_present() { command -v "${FEMHOST_GFORTRAN:-gfortran}" >/dev/null 2>&1; }

apt_install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }

main() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "setup: the .NET SDK (10.0) is required: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
    exit 1
  fi

  local need_mkl=no need_fortran=no
  if mkl_present; then echo "setup: Intel MKL found (PARDISO available)"; else need_mkl=yes; fi
  if gfortran_present; then echo "setup: gfortran found (the Umat plug-in can compile UMAT sources)"; else need_fortran=yes; fi
  [[ "$need_mkl" == no && "$need_fortran" == no ]] && return 0

  if [ "$(id -u)" -ne 0 ]; then
    [[ "$need_mkl" == yes ]] && echo "setup: Intel MKL not found and not running as root; skipping (the managed sparse solver will be used)." &&
      echo "       As root: apt-get install libmkl-rt (Debian non-free) to enable PARDISO."
    [[ "$need_fortran" == yes ]] && echo "setup: gfortran not found and not running as root; skipping (the Umat plug-in cannot compile UMAT sources," &&
      echo "       and its tests fail). As root: apt-get install gfortran."
    return 0
  fi

  local lists_fresh=no
  if [[ "$need_mkl" == yes ]]; then
    echo "setup: installing Intel MKL (libmkl-rt) from Debian non-free ..."
    local files=("$SETUP_ROOT/etc/apt/sources.list.d/debian.sources" "$SETUP_ROOT/etc/apt/sources.list") listed=no f
    for f in "${files[@]}" "$SETUP_ROOT"/etc/apt/sources.list.d/*.list "$SETUP_ROOT"/etc/apt/sources.list.d/*.sources; do
      non_free_listed_in "$f" && listed=yes
    done
    backup_sources "${files[@]}"
    if [[ "$listed" == no ]]; then
      for f in "${files[@]}"; do enable_non_free "$f"; done
      if ! non_free_listed_in "${files[0]}" && ! non_free_listed_in "${files[1]}"; then
        echo "setup: no Debian archive entry for bookworm with the component main in ${files[*]} to add non-free to."
      fi
    fi
    if apt-get update -qq && apt_install libmkl-rt; then
      drop_backup
      lists_fresh=yes
      echo "setup: Intel MKL installed (PARDISO available)"
    else
      # Leave apt as we found it, so a failed attempt cannot break the machine's other installs.
      restore_sources
      apt-get update -qq >/dev/null 2>&1 || true
      echo "setup: could not install libmkl-rt (offline?); continuing with the managed sparse solver."
    fi
  fi

  if [[ "$need_fortran" == yes ]]; then
    echo "setup: installing GNU Fortran (gfortran) for the Umat plug-in ..."
    if { [[ "$lists_fresh" == yes ]] || apt-get update -qq; } && apt_install gfortran; then
      echo "setup: gfortran installed ($(gfortran -dumpfullversion 2>/dev/null || echo "version unknown"))"
    else
      echo "setup: could not install gfortran (offline?); the Umat plug-in cannot compile UMAT sources and its tests fail."
    fi
  fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
