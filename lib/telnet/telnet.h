/* SPDX-License-Identifier: MIT */
/*
 * The telnet protocol (RFC 854, 855, 857, 858, 1073, 1143) as pure code,
 * for the telnet gateway (user/programs/telnetd, docs/telnet.md): bytes
 * from the socket in; data bytes for the line discipline and negotiation
 * answers out. No I/O, no allocation; a sequence may be split at any byte
 * across calls (the state is kept in struct telnet).
 *
 * Input:
 * - IAC IAC is the data byte 0xff; IAC IP (interrupt process) is Ctrl-C;
 *   other commands (NOP, DM, BRK, AO, AYT, EC, EL, GA) and IAC followed by
 *   a byte that is no command are dropped.
 * - Line ends: CR LF, CR NUL and a bare LF each become one CR (the line
 *   discipline ends a line at CR); a CR followed by anything else is a CR
 *   and that byte.
 * - Subnegotiation IAC SB opt ... IAC SE: at most TELNET_SB_MAX bytes are
 *   kept, a longer one is ignored at its end; IAC IAC inside is 0xff. Only
 *   NAWS (the window size) is understood and recorded. IAC followed by
 *   anything but SE or IAC inside one ends it unread.
 * - Negotiation, RFC 1143's rules in their simple form: the server offers
 *   WILL ECHO and WILL SGA and asks DO NAWS (telnet_start); an answer to
 *   an option already in the state asked for is not answered, so nothing
 *   loops; every other option asked for (DO x, WILL x) is refused (WONT x,
 *   DONT x) once per option, then ignored.
 *
 * Output (telnet_escape): 0xff goes as IAC IAC, a LF not preceded by CR
 * as CR LF.
 */
#ifndef CAPOS_LIB_TELNET_H
#define CAPOS_LIB_TELNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TELNET_IAC 255
#define TELNET_DONT 254
#define TELNET_DO 253
#define TELNET_WONT 252
#define TELNET_WILL 251
#define TELNET_SB 250
#define TELNET_IP 244
#define TELNET_SE 240

#define TELNET_OPT_ECHO 1
#define TELNET_OPT_SGA 3
#define TELNET_OPT_NAWS 31

#define TELNET_SB_MAX 64u	/* bytes of a subnegotiation kept (option included) */
#define TELNET_START_LEN 9u	/* bytes telnet_start writes */

enum telnet_state {
	TELNET_DATA,
	TELNET_CR,		/* after a data CR: LF or NUL is its pair */
	TELNET_IAC_SEEN,
	TELNET_VERB,		/* after IAC WILL/WONT/DO/DONT: the option */
	TELNET_SB_DATA,
	TELNET_SB_IAC,		/* IAC inside a subnegotiation */
};

/* An option's state on one side (RFC 1143 without the queue bits). */
enum telnet_opt_state {
	TELNET_NO,
	TELNET_YES,
	TELNET_WANT_YES,	/* we asked, no answer yet */
};

struct telnet {
	uint8_t state;		/* enum telnet_state */
	uint8_t verb;		/* the WILL/WONT/DO/DONT being read */
	bool cr_pending;	/* a CR then a command: the CR's pair may still follow */
	uint8_t us_echo, us_sga, him_naws;	/* enum telnet_opt_state */
	uint8_t refused_do[32];	/* bit per option: DO x answered WONT once */
	uint8_t refused_will[32];	/* bit per option: WILL x answered DONT once */
	uint8_t sb[TELNET_SB_MAX];
	uint32_t sb_len;
	bool sb_overflow;
	uint16_t cols, rows;	/* NAWS, 0 until the client sends it */
	bool out_cr;		/* telnet_escape: the last byte out was CR */
};

void telnet_init(struct telnet *t);
/* The server's opening offers into out (TELNET_START_LEN bytes). */
size_t telnet_start(struct telnet *t, uint8_t *out);
/* Room an answer to n bytes of input needs: a command split across calls answers at its end. */
#define TELNET_REPLY_MAX(n) ((n) + 2u)

/*
 * Parses in[0..n). Data bytes go to data (room for n), answers to reply
 * (room for TELNET_REPLY_MAX(n)).
 * Returns the data bytes; *reply_len the answer bytes.
 */
size_t telnet_input(struct telnet *t, const uint8_t *in, size_t n, uint8_t *data,
		    uint8_t *reply, size_t *reply_len);
/* Escapes in[0..n) into out (room for 2n). Returns the bytes written. */
size_t telnet_escape(struct telnet *t, const uint8_t *in, size_t n, uint8_t *out);

#endif
