/*
 * cli/export_scripts.c — the two scripts `trustfuzz export` writes.
 *
 * verify.sh runs the `openssl verify` command that sets up X509_verify_cert
 * exactly as the backend's verify mode does (trustfuzz/openssl_backend.h).
 * Two details of the openssl command matter: without -no-CApath/-no-CAstore
 * it would also trust the system's CA directory, and it refuses an empty
 * -CAfile or -untrusted file, so those flags are left out (-no-CAfile for no
 * anchors) when the sets are empty.
 *
 * reproduce.ps1 replays the scenario on Windows: certificates into the
 * LocalMachine Root, CA and ClientAuthIssuer stores in store order, the two
 * Schannel values, and printed steps for the server binding and the client.
 * Certificate ids are restricted to [A-Za-z0-9._+-] by cmd_export.c, so they
 * need no quoting in either script.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

static tf_err add(char **buf, size_t *len, tf_error *err, const char *fmt, ...) TF_PRINTF(4, 5);

static tf_err add(char **buf, size_t *len, tf_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	TF_ENSURE(n >= 0, err, TF_ERR_INTERNAL, "export: bad format");
	char *p = realloc(*buf, *len + (size_t)n + 1);
	TF_ENSURE(p, err, TF_ERR_NOMEM, "export: out of memory");
	*buf = p;
	va_start(ap, fmt);
	vsnprintf(p + *len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	*len += (size_t)n;
	return TF_OK;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static void path_text(const export_job *j, char *buf, size_t n)
{
	tf_path_format(j->s, j->verdict.path, j->verdict.path_len, buf, n);
}

static const char *keys_name(unsigned keys)
{
	return keys == TF_KEYS_P256 ? "p256" : keys == TF_KEYS_RSA2048 ? "rsa2048" : "ed25519";
}

tf_err export_verify_sh(const export_job *j, char **t, size_t *n, tf_error *err)
{
	char hr[40], path[256], when[32];
	const tf_openssl_inputs *in = &j->in;
	tf_win32_format(j->verdict.win32, hr, sizeof hr);
	path_text(j, path, sizeof path);
	tf_time_format(j->s->server.validation_time, when, sizeof when);
	TF_GUARD(add(t, n, err,
		     "#!/bin/sh\n"
		     "# trustfuzz export of fixture \"%s\" (%s), instance %s, keys %s.\n"
		     "# Reproduces the OpenSSL backend's verify-mode verdict with the openssl\n"
		     "# command; the backend said:\n"
		     "#   %s\n"
		     "#   status %s, HRESULT %s, path %s\n"
		     "# Exit status: openssl's (0 verified, 2 not verified); 3 when the client\n"
		     "# offers no certificate, so there is nothing to verify.\n"
		     "cd \"$(dirname \"$0\")\" || exit 2\n",
		     j->fixture->id, base_name(j->file), j->instance, keys_name(j->keys),
		     j->verdict.reason, tf_status_str(j->verdict.status), hr,
		     path[0] ? path : "(none)"));
	if (in->identity < 0)
		return add(t, n, err,
			   "echo 'no client identity is offered (403.7): nothing to verify'\n"
			   "exit 3\n");
	TF_GUARD(add(t, n, err,
		     "# validation time %s; leaf %s of identity %d\n"
		     "exec openssl verify -attime %" PRId64 " -purpose sslclient -no-CApath "
		     "-no-CAstore \\\n",
		     when, j->s->certs[j->s->identities[in->identity].leaf].id, in->identity,
		     j->s->server.validation_time));
	TF_GUARD(add(t, n, err, "  %s", in->nanchors ? "-CAfile anchors.pem" : "-no-CAfile"));
	if (in->nuntrusted)
		TF_GUARD(add(t, n, err, " -untrusted untrusted.pem"));
	if (j->knobs.ossl_partial_chain)
		TF_GUARD(add(t, n, err, " -partial_chain"));
	if (j->knobs.ossl_x509_strict)
		TF_GUARD(add(t, n, err, " -x509_strict"));
	return add(t, n, err, " \\\n  leaf.pem\n");
}

static tf_err ps1_store(const export_job *j, tf_store_id st, const char *win, const char *title,
			char **t, size_t *n, tf_error *err)
{
	const tf_store *store = &j->s->stores[st];
	TF_GUARD(add(t, n, err, "\n# %s: Cert:\\LocalMachine\\%s, in store order\n", title, win));
	if (store->n == 0)
		return add(t, n, err, "# (empty)\n");
	for (unsigned i = 0; i < store->n; i++)
		TF_GUARD(add(t, n, err, "Add-TfCert '%s' '%s'\n", j->s->certs[store->cert[i]].id,
			     win));
	return TF_OK;
}

static tf_err ps1_expectations(const export_job *j, char **t, size_t *n, tf_error *err)
{
	char hr[40];
	tf_win32_format(j->verdict.win32, hr, sizeof hr);
	TF_GUARD(add(t, n, err, "Expected outcomes (IIS log: sc-status.sc-substatus, sc-win32-status):\n"
				"  openssl backend (%s): %s, %s\n",
		     j->instance, tf_status_str(j->verdict.status), hr));
	for (unsigned i = 0; i < j->fixture->nexpect; i++) {
		const tf_fixture_expect *e = &j->fixture->expect[i];
		TF_GUARD(add(t, n, err, "  %s (fixture): %s", e->evaluator,
			     tf_status_str(e->e.v.status)));
		if (e->e.has_win32)
			TF_GUARD(add(t, n, err, ", %s",
				     tf_win32_format(e->e.v.win32, hr, sizeof hr)));
		TF_GUARD(add(t, n, err, "\n"));
	}
	return TF_OK;
}

tf_err export_reproduce_ps1(const export_job *j, char **t, size_t *n, tf_error *err)
{
	const tf_scenario *s = j->s;
	char when[32];
	tf_time_format(s->server.validation_time, when, sizeof when);
	TF_GUARD(add(t, n, err,
		     "# trustfuzz export of fixture \"%s\" (%s): replays the scenario on a\n"
		     "# Windows Server with IIS. It changes the machine's certificate stores and\n"
		     "# Schannel settings: run it on a disposable test server only.\n"
		     "#Requires -RunAsAdministrator\n"
		     "$ErrorActionPreference = 'Stop'\n"
		     "$here = Split-Path -Parent $MyInvocation.MyCommand.Path\n"
		     "function Add-TfCert([string]$id, [string]$store) {\n"
		     "    $file = Join-Path $here (Join-Path 'certs' ($id + '.cer'))\n"
		     "    Import-Certificate -FilePath $file -CertStoreLocation "
		     "\"Cert:\\LocalMachine\\$store\" | Out-Null\n"
		     "    Write-Host \"imported $id into LocalMachine\\$store\"\n"
		     "}\n",
		     j->fixture->id, base_name(j->file)));
	TF_GUARD(ps1_store(j, TF_STORE_ROOT, "Root", "Trusted Root Certification Authorities", t,
			   n, err));
	TF_GUARD(ps1_store(j, TF_STORE_INTERMEDIATE, "CA", "Intermediate Certification Authorities",
			   t, n, err));
	TF_GUARD(ps1_store(j, TF_STORE_CAI, "ClientAuthIssuer", "Client Authentication Issuers", t,
			   n, err));
	TF_GUARD(add(t, n, err,
		     "\n# Schannel (KB 2802568): the issuer list and the client trust mode\n"
		     "$schannel = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\Schannel'\n"
		     "Set-ItemProperty -Path $schannel -Name SendTrustedIssuerList -Value %d -Type DWord\n"
		     "Set-ItemProperty -Path $schannel -Name ClientAuthTrustMode -Value %d -Type DWord\n",
		     s->server.send_issuer_list ? 1 : 0, s->server.trust_mode));
	TF_GUARD(add(t, n, err, "\nWrite-Host @'\n"));
	if (j->keys == TF_KEYS_ED25519)
		TF_GUARD(add(t, n, err,
			     "WARNING: these certificates use Ed25519 keys, which Windows cannot verify.\n"
			     "Export again with --knob keys=rsa2048 (or keys=p256) for a Windows replay.\n\n"));
	TF_GUARD(add(t, n, err,
		     "Certificates are valid around the validation time %s: set the server's\n"
		     "and client's clocks there (or regenerate near today's date).\n"
		     "Root already holds Windows' own self-signed roots; the KB 2802568 mixed-store\n"
		     "rule sees them too.\n"
		     "Issuer-list size limit in the scenario: %" PRIu32 " bytes (Windows: 16 KB).\n\n"
		     "Next steps:\n"
		     "1. Restart the server so that Schannel reads the new settings.\n"
		     "2. Server certificate: make a PFX and import it into LocalMachine\\My:\n"
		     "     openssl pkcs12 -export -in server.pem -inkey server-key.pem -out server.pfx -passout pass:trustfuzz\n"
		     "     Import-PfxCertificate -FilePath server.pfx -CertStoreLocation Cert:\\LocalMachine\\My "
		     "-Password (ConvertTo-SecureString trustfuzz -AsPlainText -Force)\n"
		     "3. Bind HTTPS and require client certificates, with netsh:\n"
		     "     netsh http add sslcert ipport=0.0.0.0:443 certhash=<thumbprint of server.pfx> "
		     "appid={4dc3e181-e14b-4a21-b022-59fc669b0914} clientcertnegotiation=enable\n"
		     "   or in IIS: site binding https with the \"trustfuzz server\" certificate, then\n"
		     "     Set-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Location 'Default Web Site' "
		     "-Filter system.webServer/security/access -Name sslFlags -Value 'Ssl,SslNegotiateCert,SslRequireCert'\n",
		     when, s->server.issuer_list_limit));
	TF_GUARD(add(t, n, err, "4. Client: import the identity PFX into CurrentUser\\My, browse to https://<server>/.\n"));
	for (unsigned k = 0; k < s->nidentities; k++)
		TF_GUARD(add(t, n, err,
			     "     identity %u (leaf %s): openssl pkcs12 -export -in identity-%u-chain.pem "
			     "-inkey identity-%u-key.pem -out identity-%u.pfx -passout pass:trustfuzz\n",
			     k, s->certs[s->identities[k].leaf].id, k, k, k));
	if (j->in.identity >= 0)
		TF_GUARD(add(t, n, err,
			     "   The client offers identity %d (leaf %s): import all of them in this order\n"
			     "   to let the browser choose as the scenario's client does.\n",
			     j->in.identity, s->certs[s->identities[j->in.identity].leaf].id));
	else
		TF_GUARD(add(t, n, err,
			     "   The scenario's client offers no certificate (403.7 expected).\n"));
	TF_GUARD(ps1_expectations(j, t, n, err));
	return add(t, n, err, "'@\n");
}
