/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmicrohttpd, opened at its first use (dlopen) rather than linked: it
 * brings gnutls and its stack (p11-kit, nettle, hogweed, gmp, tasn1,
 * idn2, unistring, ffi), 2.5 MB resident in every run, for the HTTP
 * server only --metrics starts (and the version --version names).
 */
#ifndef SOCKTOP_MHD_LIB_H
#define SOCKTOP_MHD_LIB_H

#include <stddef.h>
#include <sys/socket.h>
#include <microhttpd.h>

/* The functions socktop calls, by their own names */
struct mhd_lib {
	__typeof__(MHD_start_daemon) *MHD_start_daemon;
	__typeof__(MHD_stop_daemon) *MHD_stop_daemon;
	__typeof__(MHD_get_daemon_info) *MHD_get_daemon_info;
	__typeof__(MHD_run) *MHD_run;
	__typeof__(MHD_get_timeout) *MHD_get_timeout;
	__typeof__(MHD_lookup_connection_value) *MHD_lookup_connection_value;
	__typeof__(MHD_create_response_from_buffer) *MHD_create_response_from_buffer;
	__typeof__(MHD_add_response_header) *MHD_add_response_header;
	__typeof__(MHD_queue_response) *MHD_queue_response;
	__typeof__(MHD_destroy_response) *MHD_destroy_response;
	__typeof__(MHD_get_version) *MHD_get_version;
};

/* Loaded once for the process, then the same; NULL with why in err when
 * the library or one of its functions is missing. */
const struct mhd_lib *mhd_lib_open(char *err, size_t errsz);

#endif
