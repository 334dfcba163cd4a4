// SPDX-License-Identifier: MIT
/*
 * ls (Launcher.list) and audit (AuditReader.read from 1, in pages): what
 * the session may run and, for operators, what sessions did. Names and
 * record texts come from services and are printed through shellfmt, which
 * escapes control bytes.
 */
#include "audit_client.h"
#include "launcher.h"
#include "rt.h"
#include "shell.h"
#include "shell/shellfmt.h"

#define LS_MAX 64u	/* binaries listed; more are counted */
/* Pages read by one `audit`: the log keeps 256 records, 16 a page. */
#define AUDIT_PAGES_MAX 32u

static char ls_names[LS_MAX][LAUNCHER_NAME_MAX + 1];
static struct audit_page audit_page;

void shell_ls(void)
{
	capos_cap_t launcher = shell_launcher("ls");
	uint32_t count;
	int err;

	if (!launcher)
		return;
	err = launcher_list(&shell_call, launcher, ls_names, LS_MAX, &count);
	if (err) {
		shell_say_failure("ls", &shell_call, err);
		return;
	}
	for (uint32_t i = 0; i < count && i < LS_MAX; i++)
		shell_say("%s\n", ls_names[i]);
	if (count > LS_MAX)
		shell_say("... and %u more\n", (unsigned)(count - LS_MAX));
}

static void audit_print_page(const struct audit_page *p)
{
	char buf[512];

	for (uint32_t i = 0; i < p->n; i++) {
		const struct audit_record *r = &p->rec[i];

		shellfmt_audit_line(buf, sizeof(buf), r->seq, r->time_ns, r->event, r->user,
				    r->session, r->detail);
		shell_say("%s", buf);
	}
}

void shell_audit(void)
{
	const struct shell_bundle_cap *reader =
		shell_bundle_find_iface(&sh.sess, SHELLFMT_IFACE_AUDIT_READER);
	uint64_t from = 1;
	int err = 0;

	if (!reader) {
		shell_say("audit: this session may not read the audit log (no AuditReader; "
			  "operators only)\n");
		return;
	}
	audit_page.dropped = 0;
	for (uint32_t page = 0; page < AUDIT_PAGES_MAX; page++) {
		err = audit_read(&shell_call, reader->cap, from, AUDIT_PAGE_MAX, &audit_page);
		if (err)
			break;
		audit_print_page(&audit_page);
		if (audit_page.n < AUDIT_PAGE_MAX || audit_page.next_seq <= from)
			break;
		from = audit_page.next_seq;
	}
	if (err)
		shell_say_failure("audit", &shell_call, err);
	else
		shell_say("%llu records dropped\n", (unsigned long long)audit_page.dropped);
}
