/* core/fixture_names.c — the JSON spellings of enumerated certificate fields. */
#include <stdio.h>
#include <string.h>

#include "fixture_internal.h"
#include "trustfuzz/fixture.h"

const tf_json_word tf_json_ku[] = {
	{"digitalSignature", TF_KU_DIGITAL_SIGNATURE},
	{"nonRepudiation", TF_KU_NON_REPUDIATION},
	{"keyEncipherment", TF_KU_KEY_ENCIPHERMENT},
	{"dataEncipherment", TF_KU_DATA_ENCIPHERMENT},
	{"keyAgreement", TF_KU_KEY_AGREEMENT},
	{"keyCertSign", TF_KU_KEY_CERT_SIGN},
	{"cRLSign", TF_KU_CRL_SIGN},
	{NULL, 0},
};

const tf_json_word tf_json_eku[] = {
	{"clientAuth", TF_EKU_CLIENT_AUTH},
	{"serverAuth", TF_EKU_SERVER_AUTH},
	{"anyExtendedKeyUsage", TF_EKU_ANY},
	{"codeSigning", TF_EKU_CODE_SIGNING},
	{NULL, 0},
};

const tf_json_word tf_json_kid[] = {
	{"match", TF_KID_MATCH},
	{"absent", TF_KID_ABSENT},
	{"mismatch", TF_KID_MISMATCH},
	{NULL, 0},
};

const tf_json_validity tf_json_validity_presets[] = {
	{"valid", TF_VALID_NOT_BEFORE, TF_VALID_NOT_AFTER},
	{"expired", TF_EXPIRED_NOT_BEFORE, TF_EXPIRED_NOT_AFTER},
	{"not-yet-valid", TF_NYV_NOT_BEFORE, TF_NYV_NOT_AFTER},
	{NULL, 0, 0},
};

bool tf_json_word_find(const tf_json_word *words, const char *text, unsigned *value)
{
	for (const tf_json_word *w = words; w->text; w++) {
		if (!strcmp(w->text, text)) {
			*value = w->value;
			return true;
		}
	}
	return false;
}

const char *tf_json_word_text(const tf_json_word *words, unsigned value)
{
	for (const tf_json_word *w = words; w->text; w++)
		if (w->value == value)
			return w->text;
	return NULL;
}

char *tf_json_word_list(const tf_json_word *words, char *buf, size_t bufsz)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const tf_json_word *w = words; w->text && used < bufsz; w++) {
		int n = snprintf(buf + used, bufsz - used, "%s%s", w == words ? "" : ", ", w->text);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}

const char *tf_json_validity_name(int64_t nb, int64_t na)
{
	for (const tf_json_validity *p = tf_json_validity_presets; p->text; p++)
		if (p->not_before == nb && p->not_after == na)
			return p->text;
	return NULL;
}
