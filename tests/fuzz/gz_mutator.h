/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A libFuzzer custom mutator for recordings: most of the time it inflates
 * the input, mutates the recording inside (header and records) and deflates
 * it again, so the fuzzer reaches the event handling instead of stopping
 * at gzip's checksum; otherwise it mutates the compressed bytes as they are.
 */
#ifndef SOCKTOP_GZ_MUTATOR_H
#define SOCKTOP_GZ_MUTATOR_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define GZM_MAX (256 * 1024)

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static size_t gzm_inflate(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	z_stream z = { 0 };
	size_t got;

	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return 0;
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	(void)inflate(&z, Z_FINISH);
	got = cap - z.avail_out;
	inflateEnd(&z);
	return got;
}

static size_t gzm_deflate(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	z_stream z = { 0 };
	size_t got;
	int rc;

	if (deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	rc = deflate(&z, Z_FINISH);
	got = cap - z.avail_out;
	deflateEnd(&z);
	return rc == Z_STREAM_END ? got : 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	static uint8_t raw[GZM_MAX];
	size_t n, m, out;

	if (seed % 5 == 0 || size < 18)
		return LLVMFuzzerMutate(data, size, max_size);
	n = gzm_inflate(data, size, raw, sizeof(raw) / 2);
	if (!n)
		return LLVMFuzzerMutate(data, size, max_size);
	m = LLVMFuzzerMutate(raw, n, sizeof(raw));
	out = gzm_deflate(raw, m, data, max_size);
	if (!out)
		return LLVMFuzzerMutate(data, size, max_size);
	if (seed % 7 == 0 && out > 1)
		out = 1 + seed % out; /* and sometimes cut it short */
	return out;
}

#endif
