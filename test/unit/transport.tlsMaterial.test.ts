import { X509Certificate } from 'node:crypto';
import * as tls from 'node:tls';

import type { CityFibreCredentials } from '../../nodes/CityFibre/transport/credentials';
import { TlsMaterialError, materialFingerprint, prepareTls, tlsMaterialOf } from '../../nodes/CityFibre/transport/tlsMaterial';
import type { BadCertificates, CertAndKey } from '../support/badCerts';
import { clientCertificate, createBadCertificates, createTestCa, encryptKeyLegacy, toPkcs12Base64 } from '../support/badCerts';

let ca: CertAndKey;
let good: CertAndKey;
let bad: BadCertificates;

beforeAll(() => {
	ca = createTestCa('Material Test CA');
	good = clientCertificate(ca, 'SPDEV1');
	bad = createBadCertificates(ca);
});

function pem(cert: string | undefined, key: string | undefined, extra: Partial<CityFibreCredentials> = {}): CityFibreCredentials {
	return { environment: 'sandbox', buyerIdentifier: 'SPDEV1', certificateFormat: 'pem', certificate: cert, privateKey: key, ...extra };
}

function p12(bundle: string | undefined, passphrase?: string): CityFibreCredentials {
	return { environment: 'sandbox', buyerIdentifier: 'SPDEV1', certificateFormat: 'pkcs12', pkcs12: bundle, passphrase };
}

/** The TlsMaterialError a check throws (fails the test when none is thrown). */
function problemOf(credentials: CityFibreCredentials): TlsMaterialError {
	try {
		prepareTls(tlsMaterialOf(credentials));
	} catch (error) {
		if (error instanceof TlsMaterialError) return error;
		throw error;
	}
	throw new Error('expected a TlsMaterialError');
}

describe('PEM certificate and key', () => {
	it('accepts a matching pair and describes the certificate', () => {
		const prepared = prepareTls(tlsMaterialOf(pem(good.cert, good.key)));
		expect(prepared.certificate.subject).toContain('CN=SPDEV1');
		expect(prepared.certificate.issuer).toContain('CN=Material Test CA');
	});

	it('accepts a chain pasted with the CA first, by putting the certificate that matches the key first', () => {
		const prepared = prepareTls(tlsMaterialOf(pem(`${ca.cert}${good.cert}`, good.key)));
		expect(prepared.certificate.subject).toContain('CN=SPDEV1');
	});

	it('accepts certificate and key pasted together into the certificate field', () => {
		expect(prepareTls(tlsMaterialOf(pem(`${good.cert}${good.key}`, undefined))).certificate.subject).toContain('CN=SPDEV1');
	});

	it('says the certificate is empty', () => {
		expect(problemOf(pem(undefined, good.key))).toMatchObject({ outcome: 'missingMaterial', message: 'The client certificate is empty.' });
	});

	it('says text without a BEGIN line is not PEM', () => {
		expect(problemOf(pem(good.cert, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'))).toMatchObject({ outcome: 'unreadableMaterial' });
		expect(problemOf(pem(good.cert, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC')).message).toContain('-----BEGIN … PRIVATE KEY-----');
	});

	it('says a key that does not belong to the certificate does not match', () => {
		expect(problemOf(pem(bad.mismatchedKey.cert, bad.mismatchedKey.key))).toMatchObject({
			outcome: 'keyMismatch',
			message: 'The private key does not belong to the client certificate.',
		});
	});

	it('says an encrypted key needs its passphrase', () => {
		expect(problemOf(pem(bad.encrypted.cert, bad.encrypted.key))).toMatchObject({
			outcome: 'wrongPassphrase',
			message: 'The private key is encrypted, and no passphrase is set.',
		});
	});

	it('says a wrong passphrase does not open the key', () => {
		expect(problemOf(pem(bad.encrypted.cert, bad.encrypted.key, { passphrase: bad.encrypted.wrongPassphrase }))).toMatchObject({
			outcome: 'wrongPassphrase',
			message: 'The passphrase does not open the private key.',
		});
	});

	it('opens an encrypted key with the right passphrase', () => {
		const prepared = prepareTls(tlsMaterialOf(pem(bad.encrypted.cert, bad.encrypted.key, { passphrase: bad.encrypted.passphrase })));
		expect(prepared.certificate.subject).toContain('CN=SPDEV1 encrypted');
	});

	it('says a wrong passphrase does not open a legacy (Proc-Type) encrypted key either', () => {
		const legacy = encryptKeyLegacy(good.key, 'right one');
		expect(problemOf(pem(good.cert, legacy, { passphrase: 'wrong one' })).outcome).toBe('wrongPassphrase');
	});

	it('says an expired certificate expired, with the date', () => {
		const expiry = new Date(tlsCertificate(bad.expired.cert).valid_to);
		const problem = problemOf(pem(bad.expired.cert, bad.expired.key));
		expect(problem.outcome).toBe('certificateExpired');
		expect(problem.message).toBe(`The client certificate expired on ${expiry.toISOString().slice(0, 10)}.`);
		expect(problem.date).toEqual(expiry);
	});

	it('says a certificate that is not valid yet is not valid yet, with the date', () => {
		const start = new Date(tlsCertificate(bad.notYetValid.cert).valid_from);
		const problem = problemOf(pem(bad.notYetValid.cert, bad.notYetValid.key));
		expect(problem.outcome).toBe('certificateNotYetValid');
		expect(problem.message).toBe(`The client certificate is not valid yet: it becomes valid on ${start.toISOString().slice(0, 10)}.`);
	});

	it('judges the dates against the given moment', () => {
		const longAgo = new Date(Date.now() - 30 * 24 * 3600 * 1000);
		expect(prepareTls(tlsMaterialOf(pem(bad.expired.cert, bad.expired.key)), longAgo).certificate.subject).toContain('expired');
	});
});

describe('PKCS#12 bundle', () => {
	let bundle: string;
	beforeAll(() => {
		bundle = toPkcs12Base64(good, 'p12 passphrase', [ca.cert]);
	});

	it('opens a bundle with its passphrase and reads the certificate from it', () => {
		const prepared = prepareTls(tlsMaterialOf(p12(bundle, 'p12 passphrase')));
		expect(prepared.certificate.subject).toContain('CN=SPDEV1');
	});

	it('accepts the base64 wrapped over lines with Windows line endings', () => {
		const wrapped = bundle.replace(/(.{76})/g, '$1\r\n');
		expect(prepareTls(tlsMaterialOf(p12(wrapped, 'p12 passphrase'))).certificate.subject).toContain('CN=SPDEV1');
	});

	it('says a wrong passphrase does not open the bundle', () => {
		expect(problemOf(p12(bundle, 'not it'))).toMatchObject({ outcome: 'wrongPassphrase', message: 'The passphrase does not open the PKCS#12 bundle.' });
	});

	it('says the bundle needs a passphrase when none is set', () => {
		expect(problemOf(p12(bundle))).toMatchObject({ outcome: 'wrongPassphrase', message: 'The PKCS#12 bundle needs a passphrase, and none is set.' });
	});

	it('says an expired certificate inside a bundle expired', () => {
		expect(problemOf(p12(toPkcs12Base64(bad.expired, 'x'), 'x')).outcome).toBe('certificateExpired');
	});

	it('says PEM text pasted into the bundle field belongs in the PEM format', () => {
		expect(problemOf(p12(good.cert)).message).toContain('PEM Certificate and Private Key');
	});

	it('says base64 that is not a PKCS#12 bundle cannot be read', () => {
		expect(problemOf(p12(Buffer.from('definitely not a bundle').toString('base64'), 'x')).outcome).toBe('unreadableMaterial');
	});

	it('says the bundle is empty', () => {
		expect(problemOf(p12('  '))).toMatchObject({ outcome: 'missingMaterial', message: 'The PKCS#12 bundle is empty.' });
	});
});

describe('CA bundle', () => {
	it('adds the CA to the public roots rather than replacing them', () => {
		const material = tlsMaterialOf(pem(good.cert, good.key, { caBundle: ca.cert.replace(/\n/g, '\r\n') }));
		expect(material.ca).toHaveLength(tls.rootCertificates.length + 1);
		expect(material.ca?.slice(0, -1)).toEqual([...tls.rootCertificates]);
	});

	it('uses the public roots alone when the CA bundle is empty', () => {
		expect(tlsMaterialOf(pem(good.cert, good.key, { caBundle: ' ' })).ca).toBeUndefined();
	});

	it('says a CA bundle without a certificate cannot be read', () => {
		expect(problemOf(pem(good.cert, good.key, { caBundle: 'my CA' })).message).toBe('The CA bundle holds no PEM certificate (-----BEGIN CERTIFICATE-----).');
	});
});

describe('materialFingerprint', () => {
	it('is a SHA-256 in hex that changes with the material and not otherwise', () => {
		const a = tlsMaterialOf(pem(good.cert, good.key));
		const again = tlsMaterialOf(pem(good.cert.replace(/\n/g, '\r\n'), good.key));
		const other = tlsMaterialOf(pem(bad.encrypted.cert, bad.encrypted.key, { passphrase: bad.encrypted.passphrase }));
		expect(materialFingerprint(a)).toMatch(/^[0-9a-f]{64}$/);
		expect(materialFingerprint(again)).toBe(materialFingerprint(a));
		expect(materialFingerprint(other)).not.toBe(materialFingerprint(a));
		expect(materialFingerprint(a, 'http://proxy:3128')).not.toBe(materialFingerprint(a));
	});
});

function tlsCertificate(pemText: string): { valid_from: string; valid_to: string } {
	const certificate = new X509Certificate(pemText);
	return { valid_from: certificate.validFrom, valid_to: certificate.validTo };
}
