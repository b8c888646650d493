/*
 * tests/test_backend_import.c — the importer's mapping (import.h), case by
 * case, on certificates made with OpenSSL's own API (import_util.h): every
 * field, each documented reading (long serials, pathLen, encipherOnly,
 * unrelated EKU purposes, critical extensions, SKI/AKI), name matching and
 * labels, signers found and unknown, deduplication and ids, the maxima, and
 * the fixture round trip of an imported scenario.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "import_util.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/models.h"

static const char *const ca_ext[] = {"basicConstraints=critical,CA:TRUE",
				     "keyUsage=critical,keyCertSign,cRLSign",
				     "subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid"};

/* A spec with the CA extensions above. */
static iu_spec ca_spec(const char *subject, const char *issuer, EVP_PKEY *key, EVP_PKEY *signer,
		       X509 *issuer_cert)
{
	iu_spec sp = {.subject = subject, .issuer = issuer, .key = key, .signer = signer,
		      .issuer_cert = issuer_cert};
	for (unsigned k = 0; k < 4; k++)
		sp.ext[k] = ca_ext[k];
	return sp;
}

/* Imports leaf (with chain) under roots; asserts success. */
static void import_ok(tf_import_spec *sp, tf_scenario *s)
{
	tf_error err = {0};
	sp->server.validation_time = IU_T0;
	if (tf_import_scenario(sp, s, &err) != TF_OK)
		fail_msg("import: %s", err.msg);
}

static int find(const tf_scenario *s, const char *id)
{
	int i = tf_scenario_find_cert(s, id);
	if (i < 0)
		fail_msg("no certificate %s", id);
	return i;
}

/* Root → intermediate → leaf, every field read back. */
static void test_fields(void **state)
{
	(void)state;
	EVP_PKEY *kr = iu_key(), *ki = iu_key(), *kl = iu_key();
	iu_spec rs = ca_spec("/C=US/O=Example/CN=Root", "/C=US/O=Example/CN=Root", kr, NULL, NULL);
	rs.serial = "1000";
	X509 *r = iu_cert(&rs);
	iu_spec is = ca_spec("/C=US/O=Example/CN=Inter", "/C=US/O=Example/CN=Root", ki, kr, r);
	is.ext[0] = "basicConstraints=CA:TRUE,pathlen:0";
	is.nb = -100;
	is.na = 40 * 365 * TF_DAY; /* past 2049: GeneralizedTime */
	X509 *i = iu_cert(&is);
	iu_spec ls = {.subject = "/CN=alice", .issuer = "/C=US/O=Example/CN=Inter", .key = kl,
		      .signer = ki, .issuer_cert = i, .serial = "-5", .nb = -730 * TF_DAY,
		      .na = -TF_DAY,
		      .ext = {"basicConstraints=CA:FALSE", "keyUsage=digitalSignature",
			      "extendedKeyUsage=critical,clientAuth,serverAuth",
			      "authorityKeyIdentifier=keyid"}};
	X509 *l = iu_cert(&ls);

	tf_import_spec sp;
	tf_scenario s;
	tf_import_spec_init(&sp);
	iu_push(&sp.role[TF_IMPORT_LEAF], l, "leaf.pem");
	iu_push(&sp.role[TF_IMPORT_CHAIN], i, "inter.pem");
	iu_push(&sp.role[TF_IMPORT_ROOT], r, "root.pem");
	sp.server.send_issuer_list = true;
	sp.server.trust_mode = 1;
	import_ok(&sp, &s);

	assert_int_equal(s.ncerts, 3);
	assert_int_equal(s.nnames, 3);
	assert_int_equal(s.nkeys, 3);
	const tf_cert *L = &s.certs[find(&s, "leaf")], *I = &s.certs[find(&s, "chain1")],
		      *R = &s.certs[find(&s, "root1")];
	assert_string_equal(s.names[R->subject].label, "CN=Root,O=Example,C=US");
	assert_string_equal(s.names[L->subject].label, "CN=alice");
	assert_int_equal(R->subject, R->issuer);
	assert_int_equal(I->issuer, R->subject);
	assert_int_equal(L->issuer, I->subject);
	assert_int_equal(R->signing_key, R->key);
	assert_int_equal(I->signing_key, R->key);
	assert_int_equal(L->signing_key, I->key);
	assert_true(tf_cert_self_signed(&s, (unsigned)(R - s.certs)));
	assert_true(tf_cert_sig_verifies(&s, (unsigned)(L - s.certs), (unsigned)(I - s.certs)));
	assert_false(tf_cert_sig_verifies(&s, (unsigned)(L - s.certs), (unsigned)(R - s.certs)));

	assert_int_equal(R->serial, 0x1000);
	assert_int_equal(L->serial, -5);
	assert_int_equal(R->version, 3);
	assert_int_equal(R->bc, TF_BC_CA_TRUE);
	assert_true(R->bc_critical);
	assert_int_equal(R->pathlen, -1);
	assert_int_equal(I->pathlen, 0);
	assert_false(I->bc_critical);
	assert_int_equal(L->bc, TF_BC_CA_FALSE);
	assert_int_equal(R->ku, TF_KU_KEY_CERT_SIGN | TF_KU_CRL_SIGN);
	assert_true(R->ku_critical);
	assert_int_equal(L->ku, TF_KU_DIGITAL_SIGNATURE);
	assert_false(L->ku_critical);
	assert_true(L->eku_present && L->eku_critical);
	assert_int_equal(L->eku, TF_EKU_CLIENT_AUTH | TF_EKU_SERVER_AUTH);
	assert_false(R->eku_present);
	assert_int_equal(R->ski, TF_KID_MATCH);
	assert_int_equal(R->aki, TF_KID_ABSENT); /* OpenSSL 3 omits keyid AKI when self-signed */
	assert_int_equal(I->aki, TF_KID_MATCH);
	assert_int_equal(L->ski, TF_KID_ABSENT);
	assert_int_equal(L->aki, TF_KID_MATCH);
	assert_int_equal(I->not_before, -100);
	assert_int_equal(I->not_after, 40 * 365 * TF_DAY);
	assert_int_equal(L->not_before, -730 * TF_DAY);
	assert_int_equal(L->not_after, -TF_DAY);
	assert_false(L->unknown_critical);
	assert_true(s.server.send_issuer_list);
	assert_int_equal(s.server.trust_mode, 1);
	assert_int_equal(s.server.validation_time, IU_T0);
	assert_int_equal(s.stores[TF_STORE_ROOT].n, 1);
	assert_int_equal(s.identities[0].nchain, 1);
	/* The DER is the file's, byte for byte. */
	assert_memory_equal(R->der, sp.role[TF_IMPORT_ROOT].v[0].der.data, R->der_len);

	/* Judged: expired leaf → 403.17 by the reference. */
	tf_verdict v;
	tf_error err = {0};
	s.server.send_issuer_list = false;
	assert_int_equal(tf_evaluator_ref.evaluate(NULL, &s, &s.knobs, &v, &err), TF_OK);
	assert_int_equal(v.status, TF_STATUS_403_17);

	tf_scenario_free(&s);
	tf_import_spec_free(&sp);
	X509_free(r);
	X509_free(i);
	X509_free(l);
	EVP_PKEY_free(kr);
	EVP_PKEY_free(ki);
	EVP_PKEY_free(kl);
}

/* Serials: exact when they fit int64; else sign and low bits with bit 62;
 * serial_long past 20 content octets. */
static void test_serials(void **state)
{
	(void)state;
	static const struct {
		const char *hex;
		int64_t serial; /* 0: only the sign is checked */
		int sign;
		bool long_;
	} cases[] = {
		{"0", 0, 0, false},
		{"-5", -5, -1, false},
		{"7FFFFFFFFFFFFFFF", INT64_MAX, 1, false},
		{"8000000000000000", 0, 1, false}, /* 2^63: 9 octets */
		{"10000000000000000", 0, 1, false}, /* 2^64: low bits all zero */
		{"7F00000000000000000000000000000000000001", 0, 1, false}, /* 20 octets */
		{"80000000000000000000000000000000000000", 0, 1, false},   /* 19 + pad = 20 */
		{"8000000000000000000000000000000000000001", 0, 1, true},  /* 20 + pad = 21 */
		{"-01000000000000000000000000000000000000000005", 0, -1, true},
	};
	EVP_PKEY *k = iu_key();
	for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		iu_spec sp = {.subject = "/CN=s", .issuer = "/CN=s", .key = k, .serial = cases[c].hex};
		X509 *x = iu_cert(&sp);
		tf_import_spec is;
		tf_scenario s;
		tf_import_spec_init(&is);
		iu_push(&is.role[TF_IMPORT_LEAF], x, "s.pem");
		iu_push(&is.role[TF_IMPORT_ROOT], x, "s.pem");
		import_ok(&is, &s);
		const tf_cert *t = &s.certs[0];
		if (cases[c].serial || cases[c].sign == 0)
			assert_int_equal(t->serial, cases[c].serial);
		assert_int_equal(t->serial < 0 ? -1 : t->serial > 0 ? 1 : 0, cases[c].sign);
		if (!cases[c].serial && cases[c].sign)
			assert_true(t->serial == INT64_MIN + 0 || (t->serial < 0 ? -t->serial : t->serial) >=
								    (INT64_C(1) << 62));
		assert_int_equal(t->serial_long, cases[c].long_);
		assert_int_equal(s.ncerts, 1); /* leaf and root are one certificate */
		tf_scenario_free(&s);
		tf_import_spec_free(&is);
		X509_free(x);
	}
	EVP_PKEY_free(k);
}

/* One certificate with the given extensions, imported alone. */
static tf_err import_one(const char *const *ext, unsigned next, tf_scenario *s, tf_error *err)
{
	EVP_PKEY *k = iu_key();
	iu_spec sp = {.subject = "/CN=x", .issuer = "/CN=x", .key = k};
	for (unsigned e = 0; e < next; e++)
		sp.ext[e] = ext[e];
	X509 *x = iu_cert(&sp);
	tf_import_spec is;
	tf_import_spec_init(&is);
	iu_push(&is.role[TF_IMPORT_LEAF], x, "x.pem");
	iu_push(&is.role[TF_IMPORT_ROOT], x, "x.pem");
	is.server.validation_time = IU_T0;
	tf_err rc = tf_import_scenario(&is, s, err);
	tf_import_spec_free(&is);
	X509_free(x);
	EVP_PKEY_free(k);
	return rc;
}

static void test_extension_readings(void **state)
{
	(void)state;
	tf_scenario s;
	tf_error err = {0};
	const char *big[] = {"basicConstraints=critical,CA:TRUE,pathlen:100"};
	assert_int_equal(import_one(big, 1, &s, &err), TF_OK);
	assert_int_equal(s.certs[0].pathlen, TF_MAX_PATH);
	tf_scenario_free(&s);
	const char *noca[] = {"basicConstraints=CA:FALSE,pathlen:3"};
	assert_int_equal(import_one(noca, 1, &s, &err), TF_OK);
	assert_int_equal(s.certs[0].bc, TF_BC_CA_FALSE);
	assert_int_equal(s.certs[0].pathlen, -1);
	tf_scenario_free(&s);
	const char *enc[] = {"keyUsage=critical,encipherOnly"};
	assert_int_equal(import_one(enc, 1, &s, &err), TF_OK);
	assert_int_equal(s.certs[0].ku, TF_KU_KEY_AGREEMENT);
	tf_scenario_free(&s);
	const char *eku[] = {"extendedKeyUsage=emailProtection,clientAuth,anyExtendedKeyUsage"};
	assert_int_equal(import_one(eku, 1, &s, &err), TF_OK);
	assert_int_equal(s.certs[0].eku, TF_EKU_CLIENT_AUTH | TF_EKU_ANY | TF_EKU_CODE_SIGNING);
	assert_false(s.certs[0].eku_critical);
	tf_scenario_free(&s);
	/* Critical extensions OpenSSL processes, and SKI/AKI, are recognised. */
	const char *known[] = {"subjectAltName=critical,DNS:example.com",
			       "subjectKeyIdentifier=critical,hash",
			       "nameConstraints=critical,permitted;DNS:example.com"};
	assert_int_equal(import_one(known, 3, &s, &err), TF_OK);
	assert_false(s.certs[0].unknown_critical);
	tf_scenario_free(&s);
	const char *unknown[] = {"1.3.6.1.4.1.32473.7=critical,DER:05:00"};
	assert_int_equal(import_one(unknown, 1, &s, &err), TF_OK);
	assert_true(s.certs[0].unknown_critical);
	tf_scenario_free(&s);
	const char *quiet[] = {"1.3.6.1.4.1.32473.7=DER:05:00"};
	assert_int_equal(import_one(quiet, 1, &s, &err), TF_OK);
	assert_false(s.certs[0].unknown_critical);
	tf_scenario_free(&s);
	/* A v1 certificate carrying extensions stays v1, extensions and all
	 * (the strict profile's business). */
	EVP_PKEY *k = iu_key();
	iu_spec v1 = {.subject = "/CN=v1", .issuer = "/CN=v1", .key = k, .version = 1,
		      .ext = {"basicConstraints=critical,CA:TRUE", "keyUsage=keyCertSign"}};
	X509 *x = iu_cert(&v1);
	tf_import_spec is;
	tf_import_spec_init(&is);
	iu_push(&is.role[TF_IMPORT_LEAF], x, "v1.pem");
	import_ok(&is, &s);
	assert_int_equal(s.certs[0].version, 1);
	assert_int_equal(s.certs[0].bc, TF_BC_CA_TRUE);
	assert_int_equal(s.certs[0].ku, TF_KU_KEY_CERT_SIGN);
	tf_scenario_free(&s);
	tf_import_spec_free(&is);
	X509_free(x);
	EVP_PKEY_free(k);
	/* Not representable: named, with the file. */
	const char *empty_ku[] = {"keyUsage=DER:03:01:00"};
	assert_int_equal(import_one(empty_ku, 1, &s, &err), TF_ERR_PARSE);
	assert_string_equal(err.msg, "x.pem: keyUsage: no usage bit set, not representable");
	const char *empty_eku[] = {"extendedKeyUsage=DER:30:00"};
	assert_int_equal(import_one(empty_eku, 1, &s, &err), TF_ERR_PARSE);
	assert_string_equal(err.msg,
			    "x.pem: extendedKeyUsage: no purpose listed, not representable");
	const char *bad_bc[] = {"basicConstraints=DER:04:00"};
	assert_int_equal(import_one(bad_bc, 1, &s, &err), TF_ERR_PARSE);
	assert_string_equal(err.msg, "x.pem: basicConstraints: the extension does not parse");
	const char *neg[] = {"basicConstraints=DER:30:06:01:01:ff:02:01:ff"};
	assert_int_equal(import_one(neg, 1, &s, &err), TF_ERR_PARSE);
	assert_string_equal(err.msg, "x.pem: basicConstraints: negative pathLen");
}

/* RFC 5280 name matching: case and spaces fold, string types do not
 * matter; labels are unique and printable; the empty DN is "". */
static void test_names(void **state)
{
	(void)state;
	EVP_PKEY *kr = iu_key(), *ka = iu_key(), *kb = iu_key(), *ke = iu_key();
	iu_spec rs = ca_spec("/O=P:Example  Org/CN=P:Root", "/O=P:Example  Org/CN=P:Root", kr,
			     NULL, NULL);
	X509 *r = iu_cert(&rs);
	iu_spec as = {.subject = "/CN=A", .issuer = "/O=example org/CN=ROOT", .key = ka,
		      .signer = kr};
	X509 *a = iu_cert(&as);
	/* Two long DNs whose readable forms share the first 47 bytes. */
	iu_spec bs = {.subject = "/CN=a-very-long-common-name-that-does-not-fit-in-a-label-1",
		      .issuer = "/CN=A", .key = kb, .signer = ka};
	X509 *b = iu_cert(&bs);
	iu_spec es = {.subject = "/CN=a-very-long-common-name-that-does-not-fit-in-a-label-2",
		      .issuer = "", .key = ke};
	X509 *e = iu_cert(&es);
	tf_import_spec sp;
	tf_scenario s;
	tf_import_spec_init(&sp);
	iu_push(&sp.role[TF_IMPORT_LEAF], a, "a.pem");
	iu_push(&sp.role[TF_IMPORT_ROOT], r, "r.pem");
	iu_push(&sp.role[TF_IMPORT_ROOT], b, "b.pem");
	iu_push(&sp.role[TF_IMPORT_ROOT], e, "e.pem");
	import_ok(&sp, &s);
	const tf_cert *A = &s.certs[find(&s, "leaf")], *R = &s.certs[find(&s, "root1")];
	const tf_cert *B = &s.certs[find(&s, "root2")], *E = &s.certs[find(&s, "root3")];
	assert_int_equal(A->issuer, R->subject);
	assert_true(tf_cert_sig_verifies(&s, 0, (unsigned)(R - s.certs)));
	assert_string_equal(s.names[R->subject].label, "CN=Root,O=Example  Org");
	assert_string_equal(s.names[B->subject].label,
			    "CN=a-very-long-common-name-that-does-not-fit-in");
	assert_string_equal(s.names[E->subject].label,
			    "CN=a-very-long-common-name-that-does-not-fit-~2");
	assert_string_equal(s.names[E->issuer].label, "");
	assert_int_equal(s.names[E->issuer].der_len, 2);
	assert_int_equal(tf_name_der_len(&s, E->issuer), 2);
	/* The DER kept is the subject's (PrintableString), what Root sends. */
	assert_int_equal(tf_name_der_len(&s, R->subject),
			 (size_t)i2d_X509_NAME(X509_get_subject_name(r), NULL));
	/* E's issuer (the empty DN) is nobody's subject: its signature is its
	 * own key's, but it is not self-issued. */
	assert_false(tf_cert_self_issued(&s, (unsigned)(E - s.certs)));
	assert_int_equal(E->signing_key, E->key);
	tf_scenario_free(&s);
	tf_import_spec_free(&sp);
	X509 *xs[] = {r, a, b, e};
	for (unsigned i = 0; i < 4; i++)
		X509_free(xs[i]);
	EVP_PKEY *ks[] = {kr, ka, kb, ke};
	for (unsigned i = 0; i < 4; i++)
		EVP_PKEY_free(ks[i]);
}

/* Signers: a self-issued certificate signed by another key is not
 * self-signed; a signer outside the import is "an unknown signer"; AKI
 * and SKI mismatches are relative to the imported keys. */
static void test_signers_and_key_ids(void **state)
{
	(void)state;
	EVP_PKEY *kr = iu_key(), *kx = iu_key(), *kl = iu_key(), *ko = iu_key();
	iu_spec rs = ca_spec("/CN=Root", "/CN=Root", kr, NULL, NULL);
	X509 *r = iu_cert(&rs);
	/* A cross-certificate with the root's own name, signed by the root. */
	iu_spec xs = ca_spec("/CN=Root", "/CN=Root", kx, kr, r);
	X509 *x = iu_cert(&xs);
	/* The leaf names the root but is signed by a key nobody imported, and
	 * its AKI names the root's key. */
	iu_spec ls = {.subject = "/CN=leaf", .issuer = "/CN=Root", .key = kl, .signer = ko,
		      .issuer_cert = r, .ext = {"authorityKeyIdentifier=keyid"}};
	X509 *l = iu_cert(&ls);
	/* A certificate whose SKI is the root's key id (method 1), signed by
	 * the root, whose AKI names the cross-certificate's key. */
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	char ski[200] = "subjectKeyIdentifier=", aki[220] = "authorityKeyIdentifier=keyid";
	assert_int_equal(X509_pubkey_digest(r, EVP_sha1(), md, &n), 1);
	for (unsigned i = 0; i < n; i++)
		snprintf(ski + strlen(ski), sizeof ski - strlen(ski), "%s%02X", i ? ":" : "", md[i]);
	iu_spec os = {.subject = "/CN=odd", .issuer = "/CN=Root", .key = ko, .signer = kr,
		      .issuer_cert = x, .ext = {ski, aki}};
	X509 *o = iu_cert(&os);

	tf_import_spec sp;
	tf_scenario s;
	tf_import_spec_init(&sp);
	iu_push(&sp.role[TF_IMPORT_LEAF], l, "l.pem");
	iu_push(&sp.role[TF_IMPORT_ROOT], r, "r.pem");
	iu_push(&sp.role[TF_IMPORT_ROOT], x, "x.pem");
	iu_push(&sp.role[TF_IMPORT_INTERMEDIATE], o, "o.pem");
	import_ok(&sp, &s);
	unsigned L = (unsigned)find(&s, "leaf"), R = (unsigned)find(&s, "root1"),
		 X = (unsigned)find(&s, "root2"), O = (unsigned)find(&s, "inter1");
	assert_true(tf_cert_self_signed(&s, R));
	assert_true(tf_cert_self_issued(&s, X));
	assert_false(tf_cert_self_signed(&s, X));
	assert_int_equal(s.certs[X].signing_key, s.certs[R].key);
	/* The leaf's signer is ko — the key of "odd", which is imported. */
	assert_int_equal(s.certs[L].signing_key, s.certs[O].key);
	assert_false(tf_cert_sig_verifies(&s, L, R));
	/* The leaf's AKI is the root's key id, which "odd" (holding the signing
	 * key ko) also carries as its SKI: an identifier of ko, so a match. */
	assert_int_equal(s.certs[L].aki, TF_KID_MATCH);
	assert_int_equal(s.certs[O].ski, TF_KID_MISMATCH); /* the root's key id */
	assert_int_equal(s.certs[O].aki, TF_KID_MISMATCH); /* the cross-cert's key, signed by kr */
	assert_int_equal(s.nkeys, 4);
	tf_scenario_free(&s);

	/* Without "odd", ko is nobody's key: an unknown signer of its own. */
	tf_import_list_free(&sp.role[TF_IMPORT_INTERMEDIATE]);
	import_ok(&sp, &s);
	L = (unsigned)find(&s, "leaf");
	assert_int_equal(s.nkeys, 4); /* root, cross, leaf, the unknown signer */
	const tf_key *u = &s.keys[s.certs[L].signing_key];
	assert_null(u->spki);
	for (unsigned i = 0; i < s.ncerts; i++)
		assert_int_not_equal(s.certs[i].key, s.certs[L].signing_key);
	assert_int_equal(s.certs[L].aki, TF_KID_MISMATCH); /* names a known key that did not sign */
	tf_verdict v;
	tf_error err = {0};
	assert_int_equal(tf_evaluator_ref.evaluate(NULL, &s, &s.knobs, &v, &err), TF_OK);
	assert_int_equal(v.status, TF_STATUS_403_16);
	assert_int_equal(v.win32, TF_WIN32_TRUST_E_CERT_SIGNATURE);
	tf_scenario_free(&s);
	tf_import_spec_free(&sp);
	X509 *all[] = {r, x, l, o};
	for (unsigned i = 0; i < 4; i++)
		X509_free(all[i]);
	EVP_PKEY *ks[] = {kr, kx, kl, ko};
	for (unsigned i = 0; i < 4; i++)
		EVP_PKEY_free(ks[i]);
}

/* A certificate in several roles is one certificate; a store may list it
 * twice; ids follow the first role; the maxima are errors. */
static void test_dedup_ids_limits(void **state)
{
	(void)state;
	EVP_PKEY *k = iu_key();
	X509 *c[26];
	for (unsigned i = 0; i < 26; i++) {
		char name[32];
		snprintf(name, sizeof name, "/CN=R%u", i);
		iu_spec sp = ca_spec(name, name, k, NULL, NULL);
		c[i] = iu_cert(&sp);
	}
	tf_import_spec sp;
	tf_scenario s;
	tf_error err = {0};
	tf_import_spec_init(&sp);
	iu_push(&sp.role[TF_IMPORT_LEAF], c[0], "a.pem");
	iu_push(&sp.role[TF_IMPORT_LEAF], c[1], "a.pem#2");
	iu_push(&sp.role[TF_IMPORT_CHAIN], c[2], "b.pem");
	iu_push(&sp.role[TF_IMPORT_ROOT], c[1], "r.pem");
	iu_push(&sp.role[TF_IMPORT_ROOT], c[3], "r2.pem");
	iu_push(&sp.role[TF_IMPORT_ROOT], c[3], "r2.pem");
	iu_push(&sp.role[TF_IMPORT_CAI], c[4], "cai.pem");
	import_ok(&sp, &s);
	assert_int_equal(s.ncerts, 5);
	assert_int_equal(s.nkeys, 1); /* one key for all */
	assert_string_equal(s.certs[s.identities[0].leaf].id, "leaf");
	assert_int_equal(s.identities[0].nchain, 2);
	assert_string_equal(s.certs[s.identities[0].chain[0]].id, "chain1");
	assert_string_equal(s.certs[s.identities[0].chain[1]].id, "chain2");
	assert_int_equal(s.stores[TF_STORE_ROOT].n, 3);
	assert_string_equal(s.certs[s.stores[TF_STORE_ROOT].cert[0]].id, "chain1");
	assert_string_equal(s.certs[s.stores[TF_STORE_ROOT].cert[1]].id, "root1");
	assert_int_equal(s.stores[TF_STORE_ROOT].cert[1], s.stores[TF_STORE_ROOT].cert[2]);
	assert_string_equal(s.certs[s.stores[TF_STORE_CAI].cert[0]].id, "cai1");
	tf_scenario_free(&s);
	tf_import_spec_free(&sp);

	tf_import_spec_init(&sp);
	iu_push(&sp.role[TF_IMPORT_LEAF], c[0], "a.pem");
	for (unsigned i = 1; i < 26; i++)
		iu_push(&sp.role[TF_IMPORT_ROOT], c[i], "many.pem");
	sp.server.validation_time = IU_T0;
	assert_int_equal(tf_import_scenario(&sp, &s, &err), TF_ERR_LIMIT);
	assert_string_equal(err.msg, "root: 25 certificates, at most 24 in a scenario (trustfuzz "
				     "audit reads whole stores)");
	assert_int_equal(s.ncerts, 0);
	tf_import_list_free(&sp.role[TF_IMPORT_ROOT]);
	for (unsigned i = 1; i < 10; i++)
		iu_push(&sp.role[TF_IMPORT_CHAIN], c[i], "chain.pem");
	assert_int_equal(tf_import_scenario(&sp, &s, &err), TF_ERR_LIMIT);
	assert_string_equal(err.msg,
			    "chain: the client would send 9 certificates after its leaf, at most 8");
	tf_import_list_free(&sp.role[TF_IMPORT_CHAIN]);
	tf_import_list_free(&sp.role[TF_IMPORT_LEAF]);
	assert_int_equal(tf_import_scenario(&sp, &s, &err), TF_ERR_USAGE);
	assert_string_equal(err.msg, "leaf: no certificate, expected the client's leaf certificate");
	tf_import_spec_free(&sp);
	for (unsigned i = 0; i < 26; i++)
		X509_free(c[i]);
	EVP_PKEY_free(k);
}

/* An imported scenario written as a fixture reads back equal, and writing
 * it again gives the same bytes. */
static void test_fixture_roundtrip(void **state)
{
	(void)state;
	EVP_PKEY *kr = iu_key(), *kl = iu_key();
	iu_spec rs = ca_spec("/CN=Root", "/CN=Root", kr, NULL, NULL);
	X509 *r = iu_cert(&rs);
	iu_spec ls = {.subject = "/CN=leaf", .issuer = "/CN=Root", .key = kl, .signer = kr,
		      .serial = "8000000000000000000000000000000000000001"};
	X509 *l = iu_cert(&ls);
	tf_import_spec sp;
	tf_fixture *f = malloc(sizeof *f), *g = malloc(sizeof *g);
	tf_error err = {0};
	char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	assert_non_null(f);
	assert_non_null(g);
	tf_import_spec_init(&sp);
	iu_push(&sp.role[TF_IMPORT_LEAF], l, "l.pem");
	iu_push(&sp.role[TF_IMPORT_ROOT], r, "r.pem");
	sp.server.validation_time = IU_T0 + 17;
	assert_int_equal(tf_import_fixture(&sp, "rt", "imported for a test", f, &err), TF_OK);
	assert_int_equal(tf_fixture_to_json(f, &a, &alen, &err), TF_OK);
	assert_int_equal(tf_fixture_parse(a, alen, "rt.json", g, &err), TF_OK);
	assert_true(tf_scenario_equal(&f->scenario, &g->scenario));
	assert_int_equal(tf_fixture_to_json(g, &b, &blen, &err), TF_OK);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	assert_non_null(strstr(a, "\"der\": \"MII"));
	assert_non_null(strstr(a, "\"dn_der\": \"MA8xDTALBgNVBAMMBFJvb3Q=\""));
	assert_string_equal(g->prov.origin, "import");
	assert_string_equal(g->tags[0], "imported");
	free(a);
	free(b);
	tf_fixture_free(f);
	tf_fixture_free(g);
	free(f);
	free(g);
	tf_import_spec_free(&sp);
	X509_free(r);
	X509_free(l);
	EVP_PKEY_free(kr);
	EVP_PKEY_free(kl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_serials),
		cmocka_unit_test(test_extension_readings),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_signers_and_key_ids),
		cmocka_unit_test(test_dedup_ids_limits),
		cmocka_unit_test(test_fixture_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
