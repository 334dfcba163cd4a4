// SPDX-License-Identifier: MIT
/*
 * The audit log's record store (audit_log.h). The ring keeps records in
 * seq order with no gaps: the oldest kept has seq next_seq - count, so a
 * read finds its first record by subtraction, never by a scan, and every
 * loop here is bounded by a field's bound or by the ring's size.
 */
#include "audit/audit_log.h"

#include <stddef.h>

static const char hex_digits[] = "0123456789abcdef";

void audit_log_init(struct audit_log *log)
{
	log->oldest = 0;
	log->count = 0;
	log->next_seq = 1;
	log->dropped = 0;
}

bool audit_event_valid(uint32_t event)
{
	return event <= AUDIT_EVENT_MAX;
}

/* The escape of byte c into esc (at most 4 bytes); returns its length. */
static uint32_t escape_byte(uint8_t c, char esc[4])
{
	if (c == '\\') {
		esc[0] = '\\';
		esc[1] = '\\';
		return 2;
	}
	if (c >= 0x20 && c <= 0x7e) {
		esc[0] = (char)c;
		return 1;
	}
	esc[0] = '\\';
	esc[1] = 'x';
	esc[2] = hex_digits[c >> 4];
	esc[3] = hex_digits[c & 0xf];
	return 4;
}

uint32_t audit_escape(const char *src, uint32_t len, char *out, uint32_t cap)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < len; i++) {
		char esc[4];
		uint32_t k = escape_byte((uint8_t)src[i], esc);

		if (k > cap - n)
			break;
		for (uint32_t j = 0; j < k; j++)
			out[n++] = esc[j];
	}
	out[n] = '\0';
	return n;
}

/* The slot the next record goes to, dropping the oldest if the ring is full. */
static struct audit_record *next_slot(struct audit_log *log)
{
	uint32_t at;

	if (log->count == AUDIT_LOG_RECORDS) {
		log->oldest = (log->oldest + 1) % AUDIT_LOG_RECORDS;
		log->count--;
		log->dropped++;
	}
	at = (log->oldest + log->count) % AUDIT_LOG_RECORDS;
	log->count++;
	return &log->ring[at];
}

uint64_t audit_log_append(struct audit_log *log, uint16_t event, uint64_t time_ns,
			  const char *user, uint32_t user_len, const char *session,
			  uint32_t session_len, const char *detail, uint32_t detail_len)
{
	struct audit_record *r = next_slot(log);

	r->seq = log->next_seq++;
	r->time_ns = time_ns;
	r->event = event;
	audit_escape(user, user_len, r->user, AUDIT_USER_MAX);
	audit_escape(session, session_len, r->session, AUDIT_SESSION_MAX);
	audit_escape(detail, detail_len, r->detail, AUDIT_DETAIL_MAX);
	return r->seq;
}

uint32_t audit_log_read(const struct audit_log *log, uint64_t from_seq, uint32_t max,
			const struct audit_record **out)
{
	uint64_t oldest_seq = log->next_seq - log->count;
	uint64_t skip = from_seq > oldest_seq ? from_seq - oldest_seq : 0;
	uint32_t n = 0;

	if (skip >= log->count)
		return 0;
	for (uint32_t i = (uint32_t)skip; i < log->count && n < max; i++)
		out[n++] = &log->ring[(log->oldest + i) % AUDIT_LOG_RECORDS];
	return n;
}

uint64_t audit_log_next_seq(const struct audit_log *log, const struct audit_record *last)
{
	return last ? last->seq + 1 : log->next_seq;
}

/* Bytes of a text of len bytes in a message: its NUL too, in whole words. */
static uint32_t text_bytes(const char *s)
{
	uint32_t len = 0;

	while (s[len])
		len++;
	return (len + 1 + 7) & ~7u;
}

uint32_t audit_record_wire_bytes(const struct audit_record *r)
{
	return 6 * 8 + text_bytes(r->user) + text_bytes(r->session) + text_bytes(r->detail);
}
