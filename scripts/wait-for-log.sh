#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# wait-for-log.sh FILE REGEX [SECONDS]: waits until a line of FILE matches
# the extended REGEX (a service saying it is ready), at most SECONDS
# (default 120). For host scripts of scenarios: under a loaded host the
# guest's services may come up after the console's first prompt.
set -eu
file=$1 re=$2 limit=${3:-120}
for ((i = 0; i < limit * 5; i++)); do
	if [ -f "$file" ] && tr -d '\r' <"$file" | grep -Eq -- "$re"; then
		exit 0
	fi
	sleep 0.2
done
echo "wait-for-log.sh: no line /$re/ in $file after $limit s" >&2
exit 1
