// SPDX-License-Identifier: MIT
/*
 * The line history (history.h): a ring of SHELL_HISTORY_ENTRIES slots,
 * h->next the slot to fill and h->count how many are in use, so the k-th
 * newest entry is at (next - k) modulo the size. Browsing is one counter,
 * h->browse, which every add and reset sets back to 0 (the draft).
 */
#include "shell/history.h"

void shell_history_init(struct shell_history *h)
{
	h->count = 0;
	h->next = 0;
	h->browse = 0;
	h->draft_len = 0;
}

static void sh_copy(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
}

static bool sh_is_blank(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t')
			return false;
	return true;
}

static uint32_t sh_slot(const struct shell_history *h, uint32_t k)
{
	return (h->next + SHELL_HISTORY_ENTRIES - k) % SHELL_HISTORY_ENTRIES;
}

bool shell_history_entry(const struct shell_history *h, uint32_t k, const char **out,
			 size_t *out_len)
{
	uint32_t slot;

	if (k == 0 || k > h->count)
		return false;
	slot = sh_slot(h, k);
	*out = h->lines[slot];
	*out_len = h->len[slot];
	return true;
}

static bool sh_repeats_newest(const struct shell_history *h, const char *line, size_t len)
{
	const char *newest;
	size_t newest_len;

	if (!shell_history_entry(h, 1, &newest, &newest_len) || newest_len != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (newest[i] != line[i])
			return false;
	return true;
}

bool shell_history_add(struct shell_history *h, const char *line, size_t len)
{
	h->browse = 0;
	if (len > SHELLCMD_LINE_MAX || sh_is_blank(line, len) || sh_repeats_newest(h, line, len))
		return false;
	sh_copy(h->lines[h->next], line, len);
	h->len[h->next] = (uint16_t)len;
	h->next = (h->next + 1) % SHELL_HISTORY_ENTRIES;
	if (h->count < SHELL_HISTORY_ENTRIES)
		h->count++;
	return true;
}

bool shell_history_prev(struct shell_history *h, const char *cur, size_t cur_len,
			const char **out, size_t *out_len)
{
	if (h->browse >= h->count)
		return false;
	if (h->browse == 0) {
		h->draft_len = cur_len < SHELLCMD_LINE_MAX ? (uint32_t)cur_len : SHELLCMD_LINE_MAX;
		sh_copy(h->draft, cur, h->draft_len);
	}
	h->browse++;
	return shell_history_entry(h, h->browse, out, out_len);
}

bool shell_history_next(struct shell_history *h, const char **out, size_t *out_len)
{
	if (h->browse == 0)
		return false;
	h->browse--;
	if (h->browse > 0)
		return shell_history_entry(h, h->browse, out, out_len);
	*out = h->draft;
	*out_len = h->draft_len;
	return true;
}

void shell_history_reset(struct shell_history *h)
{
	h->browse = 0;
}
