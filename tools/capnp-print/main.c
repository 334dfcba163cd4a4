// SPDX-License-Identifier: MIT
/*
 * capnp-print: prints binary Cap'n Proto messages as text, byte for byte
 * like `capnp convert binary:text SCHEMA STRUCT`.
 *
 *	capnp-print [-I DIR]... SCHEMA.capnp STRUCT < messages.bin
 *
 * The schema is compiled by the official compiler (`capnp compile -o-`, i.e.
 * a CodeGeneratorRequest on stdout; $CAPNP overrides the program), read with
 * the capOS runtime, and STRUCT (dotted for nested types) is looked up in the
 * schema file. stdin holds one or more framed messages; each is printed
 * followed by a newline (empty input is an error, as for the official
 * tool). An invalid message prints nothing for it, reports on stderr and
 * exits 1; usage and schema problems exit 2.
 */
#include "slurp.h"
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAIN_MAX_ARGS = 64 };

/* Runs `capnp compile -o- [-I dir]... schema` and returns its stdout. */
static void *main_compile(char **incs, int ninc, const char *schema, size_t *len)
{
	const char *capnp = getenv("CAPNP") ? getenv("CAPNP") : "capnp";
	char *argv[MAIN_MAX_ARGS * 2 + 8];
	int fd[2], status, argc = 0;
	void *buf;
	FILE *f;
	pid_t pid;

	argv[argc++] = (char *)capnp;
	argv[argc++] = "compile";
	argv[argc++] = "-o-";
	for (int i = 0; i < ninc; i++) {
		argv[argc++] = "-I";
		argv[argc++] = incs[i];
	}
	argv[argc++] = (char *)schema;
	argv[argc] = NULL;
	if (pipe(fd) != 0 || (pid = fork()) < 0) {
		perror("capnp-print");
		exit(2);
	}
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execvp(capnp, argv);
		perror("capnp-print: exec capnp");
		_exit(127);
	}
	close(fd[1]);
	f = fdopen(fd[0], "rb");
	buf = slurp(f, len, "capnp-print");
	fclose(f);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "capnp-print: capnp compile failed for %s\n", schema);
		exit(2);
	}
	return buf;
}

static const struct sm_node *main_root(const struct sm_schema *s, const char *name)
{
	const struct sm_node *n;

	if (s->nfiles < 1) {
		fprintf(stderr, "capnp-print: the compiler returned no file\n");
		exit(2);
	}
	n = sm_lookup(s, s->files[0].id, name);
	if (!n || n->which != SM_NODE_STRUCT) {
		fprintf(stderr, "capnp-print: no struct type %s in %s\n", name,
			s->files[0].filename);
		exit(2);
	}
	return n;
}

/* Prints every message in in[0..len). Returns the exit status. */
static int main_print_all(const struct sm_schema *s, const struct sm_node *root, uint8_t *in,
			  size_t len)
{
	/* Segments beyond the message's own table: read what the official reader reads. */
	static struct capnp_seg more[CAPNP_READ_MAX_SEGMENTS - CAPNP_MAX_SEGMENTS];
	struct capnp_msg msg;
	struct pstr out = { 0 };
	size_t off = 0;
	int err;

	if (len == 0) {
		fprintf(stderr, "capnp-print: premature EOF: no message on stdin\n");
		return 1;
	}
	while (off < len) {
		err = capnp_msg_init_read_segs(&msg, in + off, len - off, more,
					       CAPNP_READ_MAX_SEGMENTS - CAPNP_MAX_SEGMENTS);
		if (err == 0)
			err = print_message(s, root, &msg, PRINT_TRAVERSAL_WORDS, PRINT_NESTING,
					    &out);
		if (err != 0) {
			fprintf(stderr, "capnp-print: invalid message at byte %zu: %s\n", off,
				capnp_strerror(err));
			pstr_free(&out);
			return 1;
		}
		pstr_add(&out, "\n", 1);
		fwrite(out.buf, 1, out.len, stdout);
		out.len = 0;
		off += msg.frame_bytes;
	}
	pstr_free(&out);
	return fflush(stdout) == 0 ? 0 : 1;
}

static void main_usage(void)
{
	fprintf(stderr, "usage: capnp-print [-I DIR]... SCHEMA.capnp STRUCT < message.bin\n");
	exit(2);
}

int main(int argc, char **argv)
{
	char *incs[MAIN_MAX_ARGS], *pos[2];
	int ninc = 0, npos = 0, rc;
	struct sm_schema s;
	const char *why;
	size_t len;
	void *buf;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-I") && i + 1 < argc && ninc < MAIN_MAX_ARGS)
			incs[ninc++] = argv[++i];
		else if (!strncmp(argv[i], "-I", 2) && argv[i][2] && ninc < MAIN_MAX_ARGS)
			incs[ninc++] = argv[i] + 2;
		else if (argv[i][0] != '-' && npos < 2)
			pos[npos++] = argv[i];
		else
			main_usage();
	}
	if (npos != 2)
		main_usage();
	buf = main_compile(incs, ninc, pos[0], &len);
	if (sm_load(&s, buf, len, &why) != 0) {
		fprintf(stderr, "capnp-print: bad CodeGeneratorRequest: %s\n", why);
		return 2;
	}
	buf = slurp(stdin, &len, "capnp-print");
	rc = main_print_all(&s, main_root(&s, pos[1]), buf, len);
	free(buf);
	sm_free(&s);
	return rc;
}
