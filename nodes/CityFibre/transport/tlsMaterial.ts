/**
 * Turns the credential's certificate fields into TLS options and checks them locally with
 * node:crypto before any connection is made, so that a wrong passphrase, a key that does not
 * belong to the certificate or an expired certificate is named as such instead of surfacing as
 * an opaque handshake failure. Error messages never quote the material.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import * as tls from 'node:tls';

import type { CityFibreCredentials } from './credentials';
import type { ConnectionOutcome } from './outcomes';
import { isoDate } from './outcomes';
import { decodeBase64Bundle, formatPemBlock, isCertificateBlock, isEncryptedKeyBlock, isPrivateKeyBlock, pemBlocks } from './pem';

/** The options handed to `tls.createSecureContext`. Secret: never log, never return. */
export interface TlsMaterial {
	cert?: string;
	key?: string;
	pfx?: Buffer;
	passphrase?: string;
	/** Public roots plus the credential's CA bundle; undefined means Node's default roots. */
	ca?: string[];
}

/** The public facts about the client certificate: safe to show. */
export interface CertificateSummary {
	subject: string;
	issuer: string;
	validFrom: Date;
	validTo: Date;
	fingerprint256: string;
}

export interface PreparedTls {
	secureContext: tls.SecureContext;
	certificate: CertificateSummary;
}

/** A local problem with the certificate fields, named by its outcome. */
export class TlsMaterialError extends Error {
	readonly name = 'TlsMaterialError';
	constructor(
		readonly outcome: ConnectionOutcome,
		message: string,
		/** The certificate date an expiry outcome refers to. */
		readonly date?: Date,
	) {
		super(message);
	}
}

function fail(outcome: ConnectionOutcome, message: string, date?: Date): never {
	throw new TlsMaterialError(outcome, message, date);
}

function caOf(credentials: CityFibreCredentials): string[] | undefined {
	if (!credentials.caBundle?.trim()) return undefined;
	const blocks = pemBlocks(credentials.caBundle).filter(isCertificateBlock);
	if (!blocks.length) fail('unreadableMaterial', 'The CA bundle holds no PEM certificate (-----BEGIN CERTIFICATE-----).');
	// Added to the public roots rather than replacing them: a private CA must not cost the public ones.
	return [...tls.rootCertificates, ...blocks.map(formatPemBlock)];
}

function pemMaterial(credentials: CityFibreCredentials): TlsMaterial {
	// A combined file pasted into one field works: certificates and key are picked out by label.
	const fromCert = pemBlocks(credentials.certificate);
	const fromKey = pemBlocks(credentials.privateKey);
	const certBlocks = fromCert.filter(isCertificateBlock);
	const certs = certBlocks.length ? certBlocks : fromKey.filter(isCertificateBlock);
	const key = [...fromKey, ...fromCert].find(isPrivateKeyBlock);
	if (!certs.length) {
		fail(
			credentials.certificate?.trim() ? 'unreadableMaterial' : 'missingMaterial',
			credentials.certificate?.trim()
				? 'The client certificate is not PEM text: it must contain -----BEGIN CERTIFICATE-----.'
				: 'The client certificate is empty.',
		);
	}
	if (!key) {
		fail(
			credentials.privateKey?.trim() ? 'unreadableMaterial' : 'missingMaterial',
			credentials.privateKey?.trim()
				? 'The private key is not PEM text: it must contain -----BEGIN … PRIVATE KEY-----.'
				: 'The private key is empty.',
		);
	}
	if (isEncryptedKeyBlock(key) && !credentials.passphrase) {
		fail('wrongPassphrase', 'The private key is encrypted, and no passphrase is set.');
	}
	return {
		cert: certs.map(formatPemBlock).join(''),
		key: formatPemBlock(key),
		passphrase: credentials.passphrase,
		ca: caOf(credentials),
	};
}

function pkcs12Material(credentials: CityFibreCredentials): TlsMaterial {
	if (!credentials.pkcs12?.trim()) fail('missingMaterial', 'The PKCS#12 bundle is empty.');
	if (credentials.pkcs12.includes('-----BEGIN')) {
		fail('unreadableMaterial', 'The PKCS#12 field holds PEM text: choose the certificate format "PEM Certificate and Private Key" for it.');
	}
	const pfx = decodeBase64Bundle(credentials.pkcs12);
	if (!pfx) fail('unreadableMaterial', 'The PKCS#12 bundle is not base64 text.');
	return { pfx, passphrase: credentials.passphrase, ca: caOf(credentials) };
}

/** The TLS options for the credential's certificate form. Throws TlsMaterialError when a field is empty or unreadable. */
export function tlsMaterialOf(credentials: CityFibreCredentials): TlsMaterial {
	return credentials.certificateFormat === 'pkcs12' ? pkcs12Material(credentials) : pemMaterial(credentials);
}

/** SHA-256 over the material (and any extra key parts, e.g. the proxy): hex, never reversible. */
export function materialFingerprint(material: TlsMaterial, ...extra: string[]): string {
	const hash = createHash('sha256');
	for (const part of [material.cert, material.key, material.pfx?.toString('base64'), material.passphrase, ...(material.ca ?? []), ...extra]) {
		hash.update(part ?? '');
		hash.update('\u0000');
	}
	return hash.digest('hex');
}

function openSslReason(error: unknown): string {
	const message = typeof (error as Error | undefined)?.message === 'string' ? (error as Error).message : String(error);
	return message.replace(/^error:[0-9A-F]+:[^:]*:+/i, '');
}

function readKey(material: TlsMaterial): KeyObject {
	try {
		return createPrivateKey({ key: material.key as string, passphrase: material.passphrase });
	} catch (error) {
		const reason = openSslReason(error);
		if (/bad decrypt|interrupted or cancelled|passphrase/i.test(reason)) fail('wrongPassphrase', 'The passphrase does not open the private key.');
		return fail('unreadableMaterial', `The private key cannot be read (${reason}).`);
	}
}

function readCertificates(material: TlsMaterial): X509Certificate[] {
	return pemBlocks(material.cert).map((block) => {
		try {
			return new X509Certificate(formatPemBlock(block));
		} catch (error) {
			return fail('unreadableMaterial', `The client certificate cannot be read (${openSslReason(error)}).`);
		}
	});
}

function summaryOf(certificate: X509Certificate): CertificateSummary {
	return {
		subject: certificate.subject.replace(/\n/g, ', '),
		issuer: certificate.issuer.replace(/\n/g, ', '),
		validFrom: new Date(certificate.validFrom),
		validTo: new Date(certificate.validTo),
		fingerprint256: certificate.fingerprint256,
	};
}

function checkDates(summary: CertificateSummary, now: Date): void {
	if (now < summary.validFrom) {
		fail('certificateNotYetValid', `The client certificate is not valid yet: it becomes valid on ${isoDate(summary.validFrom)}.`, summary.validFrom);
	}
	if (now > summary.validTo) {
		fail('certificateExpired', `The client certificate expired on ${isoDate(summary.validTo)}.`, summary.validTo);
	}
}

function secureContextOf(material: TlsMaterial): tls.SecureContext {
	try {
		return tls.createSecureContext(material);
	} catch (error) {
		const reason = openSslReason(error);
		if (/mac verify failure|bad decrypt|invalid password|passphrase/i.test(reason)) {
			fail('wrongPassphrase', material.passphrase ? 'The passphrase does not open the PKCS#12 bundle.' : 'The PKCS#12 bundle needs a passphrase, and none is set.');
		}
		if (/key values mismatch/i.test(reason)) fail('keyMismatch', 'The private key does not belong to the client certificate.');
		if (/unsupported/i.test(reason) && material.pfx) {
			fail(
				'unreadableMaterial',
				'The PKCS#12 bundle uses an outdated encryption this Node.js cannot open: re-export it with current algorithms (e.g. `openssl pkcs12 -export` without `-legacy`).',
			);
		}
		return fail('unreadableMaterial', material.pfx ? `The PKCS#12 bundle cannot be read (${reason}).` : `The TLS material cannot be used (${reason}).`);
	}
}

/** The certificate a secure context presents: how we read a PKCS#12 bundle without a parser of our own. */
function presentedCertificate(secureContext: tls.SecureContext): X509Certificate | undefined {
	const socket = new tls.TLSSocket(null as unknown as import('node:net').Socket, { secureContext });
	try {
		const raw = (socket.getCertificate() as tls.PeerCertificate | null)?.raw;
		return raw ? new X509Certificate(raw) : undefined;
	} finally {
		socket.destroy();
	}
}

/**
 * Checks the material locally (readable, passphrase, key matches certificate, dates) and builds
 * the secure context every connection of this credential will use.
 */
export function prepareTls(material: TlsMaterial, now: Date = new Date()): PreparedTls {
	if (material.key) {
		const key = readKey(material);
		const certificates = readCertificates(material);
		// Put the certificate that matches the key first, whatever order the chain was pasted in.
		const leaf = certificates.findIndex((c) => c.checkPrivateKey(key));
		if (leaf < 0) fail('keyMismatch', 'The private key does not belong to the client certificate.');
		if (leaf > 0) {
			const blocks = pemBlocks(material.cert);
			material = { ...material, cert: [blocks[leaf], ...blocks.filter((_, i) => i !== leaf)].map(formatPemBlock).join('') };
		}
		const certificate = summaryOf(certificates[leaf]);
		checkDates(certificate, now);
		return { secureContext: secureContextOf(material), certificate };
	}
	const secureContext = secureContextOf(material);
	const presented = presentedCertificate(secureContext);
	if (!presented) fail('unreadableMaterial', 'The PKCS#12 bundle holds no client certificate.');
	const certificate = summaryOf(presented);
	checkDates(certificate, now);
	return { secureContext, certificate };
}
