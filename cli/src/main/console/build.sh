#!/bin/sh
# Bundles the console (src/, index.html) with esbuild into the directory given ($1): run by the CLI's
# Maven build (generate-resources). Node.js 20+ and npm are build prerequisites (README).
set -e
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "ERROR: building the trailquery console needs Node.js 20 or newer and npm on the PATH" >&2
  echo "ERROR: (see the README's prerequisites; e.g. apt-get install nodejs npm)" >&2
  exit 1
fi
exec node build.mjs "$@"
