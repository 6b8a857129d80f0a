#!/usr/bin/env bash
# Builds the taintwatch container image without an image registry and prints its id (everything else goes to stderr):
#  1. a JRE base made from Debian packages: mmdebstrap installs trixie's openjdk-21-jre-headless from deb.debian.org,
#     runtime-only.sh reduces the tree to what the container runs, podman imports it (reused for the day once built);
#  2. monitor-app's runtime jars, built on this machine as deploy/Dockerfile's build stage builds them;
#  3. deploy/Dockerfile's runtime stage on that base with those jars (podman build), tagged localhost/taintwatch:latest.
# Needs root (mmdebstrap --mode=root, rootful podman); installs podman, runc and mmdebstrap with apt when missing.
# ProductionPathImageIT runs the production-path test against the image: .ci/run passes -Dtaintwatch.image=<id>.
set -euo pipefail
cd "$(dirname "$0")/../.."
log() { echo "image: $*" >&2; }
[ "$(id -u)" = 0 ] || { log "run as root (mmdebstrap --mode=root and rootful podman)"; exit 1; }
export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/deploy/image/containers.conf}"

if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1 || ! command -v mmdebstrap >/dev/null 2>&1; then
  log "installing podman, runc and mmdebstrap (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc mmdebstrap >/dev/null
fi

work=monitor-app/target/image
mkdir -p "$work"
suite=trixie
mirror=http://deb.debian.org

# --- 1. the base: one a day per version of these scripts, so that a rebuild takes the day's security updates ---
key=$(cat deploy/image/build.sh deploy/image/runtime-only.sh | sha256sum | cut -c1-12)
base=localhost/taintwatch-jre:$suite-$key-$(date -u +%Y%m%d)
if podman image exists "$base"; then
  log "base $base exists"
else
  t0=$SECONDS
  log "building the base $base with mmdebstrap ($suite from $mirror)"
  rm -rf "$work/base-root"
  # docs, man pages and translations are left out (copyright files stay); the man directory must exist for
  # update-alternatives while the JRE is configured; eatmydata skips the fsyncs of a tree that is thrown away on failure
  if ! mmdebstrap --mode=root --variant=essential --format=directory --include=openjdk-21-jre-headless \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --hook-dir=/usr/share/mmdebstrap/hooks/eatmydata \
    "$suite" "$work/base-root" \
    "deb $mirror/debian $suite main" "deb $mirror/debian $suite-updates main" "deb $mirror/debian-security $suite-security main" \
    > "$work/mmdebstrap.log" 2>&1; then
    tail -40 "$work/mmdebstrap.log" >&2
    log "mmdebstrap failed (log: $work/mmdebstrap.log)"
    exit 1
  fi
  bash deploy/image/runtime-only.sh "$work/base-root"
  tar --numeric-owner --xattrs --xattrs-include='*' -C "$work/base-root" -c . \
    | podman import --quiet --change 'ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV=LANG=C.UTF-8' --message "Debian $suite, openjdk-21-jre-headless, reduced by deploy/image/runtime-only.sh" \
      - "$base" >/dev/null
  rm -rf "$work/base-root"
  log "base built in $((SECONDS - t0)) s"
fi
base_id=$(podman image inspect --format '{{.Id}}' "$base")
# what it carries, from the package database it keeps (docs/deploy.md, "The image")
podman run --rm "$base_id" cat /var/lib/dpkg/status | awk '/^Package: /{p=$2} /^Version: /{v=$2} /^Architecture: /{a=$2}
  /^$/{if (p != "") print p "\t" v "\t" a; p=""} END{if (p != "") print p "\t" v "\t" a}' | sort > "$work/base-packages.tsv"
# read whole: a reader that stops early (head -1) can make podman fail on the closed pipe
java_version=$(podman run --rm "$base_id" java -version 2>&1)
log "${java_version%%$'\n'*}"
log "base $base_id: $(wc -l < "$work/base-packages.tsv") packages ($work/base-packages.tsv)"

# --- 2. the jars: the build stage's command (monitor-app and its runtime dependencies) ---
t0=$SECONDS
. scripts/java-home.sh
rm -rf monitor-app/target/dependency "$work/out"
./mvnw -B -q -Dmaven.test.skip=true -pl monitor-app -am package dependency:copy-dependencies -DincludeScope=runtime >&2
mkdir -p "$work/out/lib"
cp monitor-app/target/dependency/*.jar "$work/out/lib/"
find monitor-app/target -maxdepth 1 -name 'monitor-app-*.jar' ! -name '*-tests.jar' ! -name '*-sources.jar' -exec cp {} "$work/out/lib/" \;
log "jars built in $((SECONDS - t0)) s: $(ls "$work/out/lib" | wc -l) in $work/out/lib"

# --- 3. the image: the Dockerfile's runtime stage; the jars replace its build stage (named build context) ---
t0=$SECONDS
old=$(podman image inspect --format '{{.Id}}' localhost/taintwatch:latest 2>/dev/null || true)
podman build --quiet -f deploy/Dockerfile --build-arg JRE_IMAGE="$base_id" --build-context build="$work" \
  --label org.opencontainers.image.base.name="$base" --label org.opencontainers.image.revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
  --iidfile "$work/image-id" --tag localhost/taintwatch:latest "$work" >/dev/null
id=$(cat "$work/image-id")
if [ -n "$old" ] && [ "$old" != "$id" ]; then
  podman rmi "$old" >/dev/null 2>&1 || true
fi
# earlier bases (other days, other scripts): removed unless an image still uses them
for stale in $(podman images --format '{{.Repository}}:{{.Tag}}' localhost/taintwatch-jre); do
  [ "$stale" = "$base" ] || podman rmi "$stale" >/dev/null 2>&1 || true
done
podman run --rm "$id" --help >/dev/null
log "image localhost/taintwatch:latest built in $((SECONDS - t0)) s: $id, $(podman image inspect --format '{{.Size}}' "$id") bytes"
echo "$id"
