#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The CapException that kernel objects raise (call_raise in kernel/ring/call.c)
# decodes with the official capnp tool against schema/capos.capnp, for every
# exception type, and its reason is cut at the schema's 256-byte limit.
set -u
cd "$(dirname "$0")/../../.."
EMIT=build/host/tests/ring_capexc_emit
x256=$(printf 'x%.0s' $(seq 256))
want=$(printf '%s\n' \
	'(type = failed, reason = "reason 0")' \
	'(type = overloaded, reason = "reason 1")' \
	'(type = disconnected, reason = "reason 2")' \
	'(type = unimplemented, reason = "reason 3")' \
	'(type = invalidArgument, reason = "reason 4")' \
	'( type = failed,' \
	"  reason = \"$x256\" )")
if ! got=$("$EMIT" | capnp decode schema/capos.capnp CapException 2>&1); then
	echo "FAIL ring_capexception_decodes_with_official_tool: $got"
	exit 1
fi
if [ "$got" = "$want" ]; then
	echo "PASS ring_capexception_decodes_with_official_tool"
else
	echo "FAIL ring_capexception_decodes_with_official_tool: got $(echo "$got" | head -c 300)"
	exit 1
fi
