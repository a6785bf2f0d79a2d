#!/bin/sh
# `make lint`: house-style checks that need no compiler (after curl's
# checksrc): banned functions, line length, tabs, file headers.
set -u
status=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]')
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok)\s*\('
if grep -nE "$banned" $files; then
    echo "lint: banned function (use cd_buf_*, snprintf, strtol, strtok_r)"
    status=1
fi
if grep -nP '\t' $files; then
    echo "lint: tab characters (indent with 4 spaces)"; status=1
fi
awk 'length($0) > 79 { print FILENAME ":" FNR ": line longer than 79 columns"; bad=1 }
     END { exit bad }' $files || status=1
for f in $files; do
    if ! head -n 1 "$f" | grep -q 'SPDX-License-Identifier'; then
        echo "$f:1: missing SPDX header"; status=1
    fi
done
[ $status = 0 ] && echo "lint: clean"
exit $status
