#!/usr/bin/env bash
# Reduces the Debian tree that mmdebstrap installed at $1 (deploy/image/build.sh) to what taintwatch's container runs.
#
# Kept: the Depends/Pre-Depends closure of the roots below. The roots are the JRE, dash (the entrypoint's sh -c), bash,
# coreutils and grep (the compose health check: bash's /dev/tcp, head, grep), base-files, base-passwd (/etc/passwd),
# ca-certificates and libc-bin (the C.UTF-8 locale). Cut from the closure: packages that only the maintainer scripts run at install time. The Java trust
# store (/etc/ssl/certs/java/cacerts) and the alternatives links are files those scripts wrote; they stay.
# Everything else goes, the package manager with it (dpkg, perl-base, debconf); /var/lib/dpkg/status keeps the entries
# of the kept packages, so that image scanners can read what the image carries.
set -euo pipefail
root="$1"
roots="openjdk-21-jre-headless dash bash coreutils grep base-files base-passwd ca-certificates libc-bin"
# ca-certificates-java builds cacerts, util-linux and debianutils serve maintainer scripts, openssl and debconf
# serve update-ca-certificates
install_only="ca-certificates-java util-linux debianutils openssl debconf"

in_chroot() { chroot "$root" "$@"; }
installed() { in_chroot dpkg-query -W -f '${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed; }

keep=" "
queue="$roots"
while [ -n "$queue" ]; do
  next=""
  for p in $queue; do
    installed "$p" || { echo "runtime-only: root or dependency $p is not installed" >&2; exit 1; }
    keep="$keep$p "
  done
  for p in $queue; do
    # alternatives (a | b) count when installed; versions and architecture qualifiers do not matter here
    for d in $(in_chroot dpkg-query -W -f '${Pre-Depends},${Depends}' "$p" | tr ',|' '\n\n' | sed -e 's/(.*)//' -e 's/:any//' -e 's/ //g'); do
      case " $keep $next $install_only " in *" $d "*) continue ;; esac
      installed "$d" && next="$next $d "
    done
  done
  queue="$next"
done

remove=""
for p in $(in_chroot dpkg-query -W -f '${Package}\n'); do
  case "$keep" in *" $p "*) ;; *) remove="$remove $p" ;; esac
done
echo "runtime-only: keeping$keep" >&2
echo "runtime-only: removing$remove" >&2

# the paths only removed packages own: files and links first, then the directories they leave empty
info="$root/var/lib/dpkg/info"
lists() { for p in "$@"; do cat "$info/$p.list" "$info/$p:"*.list 2>/dev/null || true; done | sort -u; }
comm -23 <(lists $remove) <(lists $keep) > "$root/tmp/removed-paths"
grep '^/[^/]*/' "$root/tmp/removed-paths" | while IFS= read -r path; do
  if [ -L "$root$path" ] || { [ -e "$root$path" ] && [ ! -d "$root$path" ]; }; then
    rm -f "$root$path"
  fi
done
# never a top-level directory or link (/bin -> usr/bin and the like)
grep '^/[^/]*/' "$root/tmp/removed-paths" | sort -r | while IFS= read -r path; do
  if [ -d "$root$path" ] && [ ! -L "$root$path" ]; then
    rmdir --ignore-fail-on-non-empty "$root$path"
  fi
done
rm "$root/tmp/removed-paths"

# the package database: status entries of the kept packages, their file lists; nothing else
status="$root/var/lib/dpkg/status"
awk -v keep="$keep" 'BEGIN { RS=""; ORS="\n\n" } { split($0, l, "\n"); sub(/^Package: /, "", l[1]); if (index(keep, " " l[1] " ")) print }' \
  "$status" > "$status.kept"
mv "$status.kept" "$status"
for p in $remove; do
  rm -f "$info/$p".* "$info/$p":*.*
done
rm -rf "$root"/var/lib/dpkg/{available,diversions-old,status-old,triggers,updates} "$root"/var/lib/dpkg/*-old \
  "$root"/etc/apt "$root"/var/lib/apt "$root"/var/cache/apt "$root"/var/cache/debconf "$root"/var/cache/ldconfig \
  "$root"/var/log/* "$root"/usr/share/man
# the build host's resolver and name (the runtime provides its own), PAM's generated settings (PAM is gone)
rm -rf "$root"/etc/resolv.conf "$root"/etc/hostname "$root"/etc/pam.d "$root"/etc/security
# links whose target went with a removed package (alternatives, man pages); /dev and /proc are the container's
chroot "$root" /bin/bash -O globstar -O dotglob -c '
  for l in /etc/** /usr/** /var/**; do
    if [ -L "$l" ] && [ ! -e "$l" ]; then rm "$l"; fi
  done'

# what the image needs is still there
for f in /usr/bin/java /usr/bin/sh /usr/bin/bash /usr/bin/head /usr/bin/grep /etc/ssl/certs/java/cacerts; do
  [ -e "$root$f" ] || { echo "runtime-only: $f is missing after the reduction" >&2; exit 1; }
done
for f in /usr/bin/dpkg /usr/bin/perl /usr/bin/apt /usr/bin/su /usr/bin/mount; do
  [ ! -e "$root$f" ] || { echo "runtime-only: $f is still there" >&2; exit 1; }
done
