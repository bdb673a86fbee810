/**
 * Deliberately bad client certificates for the credential and transport tests: expired, not yet
 * valid, from another CA, with a key that does not match, with an encrypted key and a wrong
 * passphrase. Made with the sandbox's own certificate tools, so they can be signed by the very CA
 * the sandbox trusts and fail for exactly one reason each.
 */
import { createPrivateKey } from 'node:crypto';

import type { CityFibreCredentials } from '../../nodes/CityFibre/transport';
import type { CertificateAndKey } from '../../sandbox/certs';
import { createCertificateAuthority, encryptPrivateKey, generateRsaKey, issueCertificate, toPkcs12 } from '../../sandbox/certs';

export type CertAndKey = CertificateAndKey;

const DAY = 24 * 60 * 60 * 1000;

export function createTestCa(commonName = 'Other Test CA'): CertAndKey {
	return createCertificateAuthority({ commonName });
}

/** A client certificate signed by `ca`, valid now unless the dates say otherwise. */
export function clientCertificate(ca: CertAndKey, commonName: string, dates: { notBefore?: Date; notAfter?: Date } = {}): CertAndKey {
	return issueCertificate({ ca, subject: { commonName, organizationName: 'n8n-nodes-cityfibre tests' }, usage: 'client', ...dates });
}

/** The key encrypted as PKCS#8 (`ENCRYPTED PRIVATE KEY`). */
export const encryptKey = encryptPrivateKey;

/** The key encrypted the legacy OpenSSL way (`Proc-Type: 4,ENCRYPTED` + `DEK-Info` headers). */
export function encryptKeyLegacy(keyPem: string, passphrase: string): string {
	return createPrivateKey(keyPem).export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
}

/** A PKCS#12 bundle of the pair (and chain) as base64, as a user pastes it. */
export function toPkcs12Base64(pair: CertAndKey, passphrase: string, chain: string[] = []): string {
	return toPkcs12({ cert: pair.cert, key: pair.key, chain, passphrase, friendlyName: 'cityfibre-client' }).toString('base64');
}

export interface BadCertificates {
	/** Signed by the trusted CA, expired yesterday. */
	expired: CertAndKey;
	/** Signed by the trusted CA, valid only from next year. */
	notYetValid: CertAndKey;
	/** Valid, but signed by a CA the server does not know. */
	otherCa: CertAndKey;
	/** A valid certificate with somebody else's key. */
	mismatchedKey: CertAndKey;
	/** A valid certificate with its key encrypted under `passphrase`. */
	encrypted: CertAndKey & { passphrase: string; wrongPassphrase: string };
}

/** One of each bad kind, with `ca` as the CA the server trusts (e.g. the sandbox's). */
export function createBadCertificates(ca: CertAndKey, now: Date = new Date()): BadCertificates {
	const good = clientCertificate(ca, 'SPDEV1 encrypted');
	const passphrase = 'correct horse battery staple';
	return {
		expired: clientCertificate(ca, 'SPDEV1 expired', { notBefore: new Date(now.getTime() - 60 * DAY), notAfter: new Date(now.getTime() - DAY) }),
		notYetValid: clientCertificate(ca, 'SPDEV1 not yet valid', {
			notBefore: new Date(now.getTime() + 365 * DAY),
			notAfter: new Date(now.getTime() + 730 * DAY),
		}),
		otherCa: clientCertificate(createTestCa('Somebody Else CA'), 'SPDEV1 other CA'),
		mismatchedKey: { cert: clientCertificate(ca, 'SPDEV1 mismatched').cert, key: generateRsaKey() },
		encrypted: { cert: good.cert, key: encryptKey(good.key, passphrase), passphrase, wrongPassphrase: 'Tr0ub4dor&3' },
	};
}

/** Credentials for calling `sandbox` with its Buyer certificate (PEM), trusting its CA; override any field. */
export function sandboxCredentials(
	sandbox: { baseUrl: string; certs: { buyer: CertAndKey; ca: { cert: string } } },
	overrides: Partial<CityFibreCredentials> = {},
): CityFibreCredentials {
	return {
		environment: 'sandbox',
		baseUrl: sandbox.baseUrl,
		buyerIdentifier: 'SPDEV1',
		certificateFormat: 'pem',
		certificate: sandbox.certs.buyer.cert,
		privateKey: sandbox.certs.buyer.key,
		caBundle: sandbox.certs.ca.cert,
		...overrides,
	};
}
