// SPDX-License-Identifier: MIT
/*
 * ls (Launcher.list) and audit (AuditReader.read from 1, in pages): what
 * the session may run and, for operators, what sessions did. Names and
 * record texts come from services and are printed through shellfmt, which
 * escapes control bytes.
 */
#include "audit.h"
#include "launcher.h"
#include "rt.h"
#include "shell.h"
#include "shell/shellfmt.h"

#define LS_MAX 64u	/* binaries listed; more are counted */
/*
 * Reads by one `audit`: the log keeps 256 records and a read answers up to
 * 16 here (fewer when longer records would not fit one answer), so 64
 * reads see the whole log even at 4 records a read.
 */
#define AUDIT_PAGE 16u
#define AUDIT_READS_MAX 64u

static char ls_names[LS_MAX][LAUNCHER_NAME_MAX + 1];
static struct audit_record audit_page[AUDIT_PAGE];

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

static void audit_print_page(const struct audit_record *rec, uint32_t n)
{
	char buf[512];

	for (uint32_t i = 0; i < n && i < AUDIT_PAGE; i++) {
		const struct audit_record *r = &rec[i];

		shellfmt_audit_line(buf, sizeof(buf), r->seq, r->time_ns, r->event, r->user,
				    r->session, r->detail);
		shell_say("%s", buf);
	}
}

void shell_audit(void)
{
	const struct shell_bundle_cap *reader =
		shell_bundle_find_iface(&sh.sess, SHELLFMT_IFACE_AUDIT_READER);
	uint64_t from = 1, next = 0, dropped = 0;
	uint32_t n = 0;
	int err = 0;

	if (!reader) {
		shell_say("audit: this session may not read the audit log (no AuditReader; "
			  "operators only)\n");
		return;
	}
	for (uint32_t reads = 0; reads < AUDIT_READS_MAX; reads++) {
		err = audit_read(reader->cap, from, AUDIT_PAGE, audit_page, &n, &dropped, &next);
		if (err)
			break;
		audit_print_page(audit_page, n);
		if (n == 0 || next <= from)
			break;
		from = next;
	}
	if (err)
		shell_say("audit: failed (%s%s%s)\n", capos_strerror(err),
			  err == CAPOS_ERR_APPLICATION_EXCEPTION ? ": " : "",
			  err == CAPOS_ERR_APPLICATION_EXCEPTION ? client_exception()->reason : "");
	else
		shell_say("%llu records dropped\n", (unsigned long long)dropped);
}
