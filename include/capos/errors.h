/* SPDX-License-Identifier: MIT */
/*
 * capOS transport error codes: the one list of CAPOS_ERR_* values, shared by
 * the kernel (negative CQE results and cap_enter returns), the user runtime
 * and host tools. Defined once as the X-macro CAPOS_ERRORS(X), each entry
 * X(NAME, value, "one-line meaning"); enums, strerror and the tests are all
 * generated from it, so a code cannot exist without its message.
 *
 * Codes are negative and grouped in bands of 32 so that a caller can tell the
 * class of a failure from the value alone:
 *   -1 ..  -31  ring and SQE validation (the request itself is malformed)
 *   -32 .. -63  capability lookup and transfer (the authority named is wrong)
 *   -64 .. -95  invocation and IPC (the target was reached, the call failed)
 *   -96 .. -127 resources and waiting (no memory, quota, timeout)
 * Transport errors say the request never produced a schema-level answer. A
 * failure at a valid capability boundary travels as a serialised CapException
 * (schema/capos.capnp) with CAPOS_ERR_APPLICATION_EXCEPTION; normal domain
 * outcomes are schema result fields. Retired values are never reused: delete
 * the line and leave a comment "N: retired (why)" in its place.
 */
#ifndef CAPOS_ERRORS_H
#define CAPOS_ERRORS_H

#include <capos/types.h>

#define CAPOS_ERR_BAND_RING	(-1)	/* first code of the ring/SQE band */
#define CAPOS_ERR_BAND_CAP	(-32)	/* first code of the capability band */
#define CAPOS_ERR_BAND_CALL	(-64)	/* first code of the invocation band */
#define CAPOS_ERR_BAND_RES	(-96)	/* first code of the resource band */
#define CAPOS_ERR_BAND_END	(-128)	/* one below the last code in use */

#define CAPOS_ERRORS(X)                                                                    \
	/* ring and SQE validation */                                                      \
	X(INVALID_OPCODE, -1, "unknown or reserved SQE opcode")                            \
	X(INVALID_FLAGS, -2, "unknown or unsupported flag bit set")                        \
	X(RESERVED_NONZERO, -3, "a reserved field is not zero")                            \
	X(BAD_ADDRESS, -4, "a buffer is not mapped user memory with the needed access")   \
	X(TOO_LARGE, -5, "a length or count exceeds its ABI limit")                        \
	X(RING_CORRUPT, -6, "ring indices are inconsistent (tail - head > entries)")       \
	X(INVALID_SYSCALL, -7, "unknown system call number")                               \
	X(INVALID_ARGUMENT, -8, "an argument is outside its documented range")             \
	X(NOT_SUPPORTED, -9, "the operation is defined but not implemented yet")           \
	X(MISALIGNED, -10, "an address or length is not aligned as required")              \
	/* capability lookup and transfer */                                               \
	X(INVALID_CAP, -32, "no capability with this id in the caller's table")            \
	X(STALE_CAP, -33, "the capability id names a released slot (old generation)")     \
	X(WRONG_INTERFACE, -34, "the capability does not implement the expected interface") \
	X(NOT_PERMITTED, -35, "this capability does not allow the operation")              \
	X(CAP_TABLE_FULL, -36, "the receiver's capability table has no free slot")         \
	X(NOT_TRANSFERABLE, -37, "the capability may not be copied or moved")              \
	X(INVALID_XFER, -38, "a transfer descriptor is malformed")                         \
	X(DUPLICATE_XFER, -39, "the same capability is moved twice in one message")        \
	/* invocation and IPC */                                                           \
	X(APPLICATION_EXCEPTION, -64, "the target raised a CapException (in the result)") \
	X(APPLICATION_EXCEPTION_TRUNCATED, -65,                                            \
	  "the target raised a CapException too large for the result buffer")              \
	X(RESULT_TOO_SMALL, -66, "the result buffer cannot hold the answer")               \
	X(UNKNOWN_METHOD, -67, "the interface has no method with this ordinal")            \
	X(MALFORMED_MESSAGE, -68, "the parameters are not a valid Cap'n Proto message")    \
	X(DISCONNECTED, -69, "the target object or its server is gone")                    \
	X(NO_SUCH_CALL, -70, "RETURN names a call that is not in flight")                  \
	X(QUEUE_FULL, -71, "the endpoint's bounded call queue is full")                    \
	X(CANCELLED, -72, "the operation was cancelled before it completed")               \
	X(STALE_SESSION, -73, "the caller's session expired or was revoked")               \
	X(NO_CLIENTS, -74, "every client capability of the endpoint is gone")            \
	/* resources and waiting */                                                        \
	X(NO_MEMORY, -96, "the kernel could not allocate memory for the request")          \
	X(QUOTA_EXCEEDED, -97, "the caller's resource quota is exhausted")                 \
	X(TIMED_OUT, -98, "the wait ended at its timeout")                                 \
	X(BUSY, -99, "another thread is already waiting on this ring")                     \
	X(WOULD_BLOCK, -100, "the operation would block and waiting was not allowed")      \
	X(CQ_FULL, -101, "no completion slot is free; reap CQEs and retry")

#ifndef __ASSEMBLY__
enum capos_err {
	CAPOS_OK = 0,
#define CAPOS_ERR_ENUM_(name, value, msg) CAPOS_ERR_##name = (value),
	CAPOS_ERRORS(CAPOS_ERR_ENUM_)
#undef CAPOS_ERR_ENUM_
};

/* Message for a CAPOS_ERR_* value; "success" for 0, a fixed text otherwise. */
static inline const char *capos_strerror(int err)
{
	switch (err) {
	case CAPOS_OK:
		return "success";
#define CAPOS_ERR_MSG_(name, value, msg) \
	case (value):                    \
		return msg;
		CAPOS_ERRORS(CAPOS_ERR_MSG_)
#undef CAPOS_ERR_MSG_
	default:
		return "unknown capOS error";
	}
}

/* Symbolic name ("CAPOS_ERR_STALE_CAP") for tools and logs; NULL if unknown. */
static inline const char *capos_errname(int err)
{
	switch (err) {
	case CAPOS_OK:
		return "CAPOS_OK";
#define CAPOS_ERR_NAME_(name, value, msg) \
	case (value):                     \
		return "CAPOS_ERR_" #name;
		CAPOS_ERRORS(CAPOS_ERR_NAME_)
#undef CAPOS_ERR_NAME_
	default:
		return NULL;
	}
}
#endif /* !__ASSEMBLY__ */

#endif /* CAPOS_ERRORS_H */
