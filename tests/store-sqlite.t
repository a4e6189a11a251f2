#!/bin/sh
# The store's contract (tests/store-contract.sh) on SQLite.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/store-contract.sh"
