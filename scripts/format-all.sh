#!/usr/bin/env bash
# Run once by the maintainer right after the tooling branch is merged: applies Prettier to apps,
# libs and test (.prettierrc: the Nest starter's singleQuote / trailingComma "all", printWidth 160
# to match the existing long lines), then lints. The reformat was left out of the branch itself so
# that it would not conflict with every file being edited at the same time. Commit the result as
# one formatting-only commit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
npm run format
npm run lint
