#!/bin/sh
# The store's contract (tests/store-contract.sh) on SQLite.
. "$(dirname "$0")/lib.sh"
fresh_db() { echo "$T/$1.db"; }
. "$TOP/tests/store-contract.sh"
