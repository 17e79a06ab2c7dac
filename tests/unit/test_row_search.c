// SPDX-License-Identifier: GPL-2.0
/* Row search: the quick match says what strcasestr of the row's whole
 * formatted text says, for names that escape, every family, upper and
 * lower case, and needles cut from the text or not in it. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "check.h"
#include "row_search.h"
#include "table.h"

static const char *const names[] = {
	"nginx",	"NGINX-Worker", "curl", "a\\b",	    "tab\there", "caf\xc3\xa9",
	"\x1b[31mEVIL", "x,y\"z",	"1234", "deadbeef", "",		 "sixteen-bytes-ab",
};

/* the table that keeps the entries' task names */
static struct table *tab;

/* e's name set to nm (EVENT_COMM_LEN bytes from a shorter string) */
static void name(struct sock_entry *e, const char *nm)
{
	char buf[EVENT_COMM_LEN] = { 0 };

	memcpy(buf, nm, strnlen(nm, sizeof(buf)));
	table_set_comm(tab, e, buf);
}

/* e made anew (its name, from a make before or none, given back) */
static void make(struct sock_entry *e, uint32_t x)
{
	static const char *const v4[] = { "10.0.0.1", "192.168.1.200", "0.0.0.0", "127.0.0.1" };
	static const char *const v6[] = { "2001:db8::1", "::1", "::ffff:10.1.2.3", "fe80::abcd" };
	uint32_t held = e->comm;

	memset(e, 0, sizeof(*e));
	e->comm = held;
	name(e, names[x % (sizeof(names) / sizeof(names[0]))]);
	e->pid = x % 5 ? 100 + x % 99991 : 0;
	e->lport = (uint16_t)(x % 3 ? 443 : x % 65536);
	e->rport = (uint16_t)(x % 7 ? 50000 + x % 999 : 0);
	switch (x % 3) {
	case 0:
		e->family = AF_INET;
		inet_pton(AF_INET, v4[x % 4], e->saddr);
		inet_pton(AF_INET, v4[(x / 4) % 4], e->daddr);
		break;
	case 1:
		e->family = AF_INET6;
		inet_pton(AF_INET6, v6[x % 4], e->saddr);
		inet_pton(AF_INET6, v6[(x / 4) % 4], e->daddr);
		break;
	default:
		e->family = 0; /* not known yet: "?" */
		break;
	}
}

/* The reference text, to cut needles from. */
static void text_of(const struct sock_entry *e, char *out, size_t n)
{
	char a[64], b[64];

	inet_ntop(e->family == AF_INET6 ? AF_INET6 : AF_INET, e->saddr, a, sizeof(a));
	inet_ntop(e->family == AF_INET6 ? AF_INET6 : AF_INET, e->daddr, b, sizeof(b));
	snprintf(out, n, "%u %.16s %s:%u %s:%u", e->pid, entry_comm(tab, e), a, e->lport, b,
		 e->rport);
}

static void test_same_as_reference(void)
{
	static const char *const fixed[] = {
		"",	"nginx",  "NgInX",    "443",	   ":443",  "10.0", "1:5",	"x 10",
		"::1",	"DB8",	  "\\",	      "\\\\",	   "\\x1b", "caf",  "\xc3\xa9", "\xc3\x89",
		"zzz",	"?",	  "? ",	      "rker 2001", " ",	    "tab",  "-",	"worker",
		"dead", "beef 1", "0.0.0.0:", "x,y",	   "\"",
	};
	uint32_t x = 777;
	int checked = 0, found = 0;
	struct sock_entry e = { 0 };

	for (int i = 0; i < 3000; i++) {
		struct row_needle nd;
		char text[256], cut[64];
		size_t len, at, n;

		x = x * 1103515245 + 12345;
		make(&e, x >> 4);
		for (size_t f = 0; f < sizeof(fixed) / sizeof(fixed[0]); f++) {
			bool want = row_text_has(tab, &e, fixed[f]);

			row_needle_init(&nd, fixed[f]);
			CHECK(row_needle_match(&nd, tab, &e) == want);
			checked++;
			found += want;
		}
		/* a piece of the row's own text, case flipped here and there */
		text_of(&e, text, sizeof(text));
		len = strlen(text);
		at = (x >> 3) % len;
		n = 1 + (x >> 9) % 12;
		if (at + n > len)
			n = len - at;
		memcpy(cut, text + at, n);
		cut[n] = '\0';
		for (size_t k = 0; k < n; k++)
			if ((x >> (k % 20)) & 1 && cut[k] >= 'a' && cut[k] <= 'z')
				cut[k] = (char)(cut[k] - 'a' + 'A');
		row_needle_init(&nd, cut);
		CHECK(row_needle_match(&nd, tab, &e) == row_text_has(tab, &e, cut));
		checked++;
	}
	name(&e, "");
	CHECK(table_entry_comm_count(tab) == 0); /* every name given back */
	CHECK(checked > 10000);
	CHECK(found > 1000 && found < checked - 1000); /* both answers were seen */
}

static void test_examples(void)
{
	struct sock_entry e = { 0 };
	struct row_needle nd;

	e.pid = 4242;
	name(&e, "Nginx");
	e.family = AF_INET;
	inet_pton(AF_INET, "10.1.2.3", e.saddr);
	inet_pton(AF_INET, "192.168.0.9", e.daddr);
	e.lport = 443;
	e.rport = 51000;
	row_needle_init(&nd, "nginx 10.1");
	CHECK(row_needle_match(&nd, tab, &e));
	row_needle_init(&nd, "3:443 192");
	CHECK(row_needle_match(&nd, tab, &e));
	row_needle_init(&nd, "4242 NGINX");
	CHECK(row_needle_match(&nd, tab, &e));
	row_needle_init(&nd, "apache");
	CHECK(!row_needle_match(&nd, tab, &e));
	row_needle_init(&nd, "0.9:510001");
	CHECK(!row_needle_match(&nd, tab, &e));
	name(&e, "");
}

int main(void)
{
	tab = table_new(&(struct table_limits){ 0 });
	CHECK(tab);
	if (!tab)
		CHECK_EXIT();
	RUN(test_same_as_reference);
	RUN(test_examples);
	table_free(tab);
	CHECK_EXIT();
}
