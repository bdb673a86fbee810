/**
 * Certificates for the credential and transport tests, good and deliberately bad: expired, not
 * yet valid, from another CA, with a key that does not match, an encrypted key, PKCS#12 bundles.
 * Keys come from node:crypto (native, fast); node-forge builds and signs the certificates, so a
 * test can give a certificate any dates and any issuer — including the sandbox's own CA.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface CertAndKey {
	/** PEM certificate. */
	cert: string;
	/** PEM private key (unencrypted PKCS#8). */
	key: string;
}

const DAY = 24 * 60 * 60 * 1000;

function newKeyPem(): string {
	return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

function forgeKeys(keyPem: string): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
	const pkcs1 = createPrivateKey(keyPem).export({ type: 'pkcs1', format: 'pem' }) as string;
	const privateKey = forge.pki.privateKeyFromPem(pkcs1) as forge.pki.rsa.PrivateKey;
	return { privateKey, publicKey: forge.pki.setRsaPublicKey(privateKey.n, privateKey.e) };
}

export interface IssueOptions {
	commonName: string;
	notBefore?: Date;
	notAfter?: Date;
	/** Defaults to a new key. */
	key?: string;
	/** Makes it a CA certificate. */
	isCa?: boolean;
	/** Server certificates: DNS names and IP addresses for subjectAltName. */
	altNames?: string[];
}

/** A certificate signed by `issuer` (or self-signed when issuer is undefined). */
export function issueCertificate(issuer: CertAndKey | undefined, options: IssueOptions): CertAndKey {
	const key = options.key ?? newKeyPem();
	const { publicKey } = forgeKeys(key);
	const cert = forge.pki.createCertificate();
	cert.publicKey = publicKey;
	cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
	cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - DAY);
	cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * DAY);
	const subject = [{ name: 'commonName', value: options.commonName }, { name: 'organizationName', value: 'n8n-nodes-cityfibre tests' }];
	cert.setSubject(subject);
	const extensions: object[] = [{ name: 'basicConstraints', cA: Boolean(options.isCa) }];
	if (options.isCa) extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true });
	else extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true }, { name: 'extKeyUsage', clientAuth: true, serverAuth: true });
	if (options.altNames?.length) {
		extensions.push({
			name: 'subjectAltName',
			altNames: options.altNames.map((n) => (/^[\d.]+$|:/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })),
		});
	}
	cert.setExtensions(extensions);
	const signer = issuer ?? { cert: '', key };
	cert.setIssuer(issuer ? forge.pki.certificateFromPem(issuer.cert).subject.attributes : subject);
	cert.sign(forgeKeys(signer.key).privateKey, forge.md.sha256.create());
	return { cert: forge.pki.certificateToPem(cert), key };
}

export function createTestCa(commonName = 'Other Test CA'): CertAndKey {
	return issueCertificate(undefined, { commonName, isCa: true });
}

/** The key encrypted as PKCS#8 (`ENCRYPTED PRIVATE KEY`, AES-256-CBC). */
export function encryptKey(keyPem: string, passphrase: string): string {
	return createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
}

/** The key encrypted the legacy OpenSSL way (`Proc-Type: 4,ENCRYPTED` + `DEK-Info` headers). */
export function encryptKeyLegacy(keyPem: string, passphrase: string): string {
	return createPrivateKey(keyPem).export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
}

/** A PKCS#12 bundle (3DES, SHA-1 MAC: what OpenSSL 3 reads without its legacy provider) as base64. */
export function toPkcs12Base64(pair: CertAndKey, passphrase: string, chain: string[] = []): string {
	const asn1 = forge.pkcs12.toPkcs12Asn1(
		forgeKeys(pair.key).privateKey,
		[pair.cert, ...chain].map((c) => forge.pki.certificateFromPem(c)),
		passphrase,
		{ algorithm: '3des', friendlyName: 'cityfibre-client' },
	);
	return forge.util.encode64(forge.asn1.toDer(asn1).getBytes());
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
	const good = issueCertificate(ca, { commonName: 'SPDEV1 encrypted' });
	const passphrase = 'correct horse battery staple';
	return {
		expired: issueCertificate(ca, {
			commonName: 'SPDEV1 expired',
			notBefore: new Date(now.getTime() - 60 * DAY),
			notAfter: new Date(now.getTime() - DAY),
		}),
		notYetValid: issueCertificate(ca, {
			commonName: 'SPDEV1 not yet valid',
			notBefore: new Date(now.getTime() + 365 * DAY),
			notAfter: new Date(now.getTime() + 730 * DAY),
		}),
		otherCa: issueCertificate(createTestCa('Somebody Else CA'), { commonName: 'SPDEV1 other CA' }),
		mismatchedKey: { cert: issueCertificate(ca, { commonName: 'SPDEV1 mismatched' }).cert, key: newKeyPem() },
		encrypted: { cert: good.cert, key: encryptKey(good.key, passphrase), passphrase, wrongPassphrase: 'Tr0ub4dor&3' },
	};
}
