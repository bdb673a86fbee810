/**
 * Certificates for the sandbox's mutual TLS, and the general tools to make more (tests need bad
 * ones too: expired, not yet valid, from another CA, paired with the wrong key). Keys come from
 * node:crypto (native, fast); node-forge builds, signs and bundles the certificates.
 *
 * `ensureSandboxCertificates(dir)` creates, on first start, a CA, a server certificate for
 * 127.0.0.1/localhost, a Buyer client certificate (plain key, passphrase-encrypted key and a
 * PKCS#12 bundle) and the certificate CityFibre presents when it delivers notifications over
 * https; later starts reuse them.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import forge from 'node-forge';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A certificate and its private key, both PEM (the key as unencrypted PKCS#8). */
export interface CertificateAndKey {
	cert: string;
	key: string;
}

export type CertificateAuthority = CertificateAndKey;

export interface Subject {
	commonName: string;
	organizationName?: string;
	organizationalUnitName?: string;
	countryName?: string;
}

export interface IssueOptions {
	/** Who signs it; omit for a self-signed certificate. */
	ca?: CertificateAuthority;
	subject: Subject | string;
	/** Defaults to one day ago (tolerates clock skew). */
	notBefore?: Date;
	/** Defaults to `validDays` after now. */
	notAfter?: Date;
	/** Used when notAfter is not given; default 825 days. */
	validDays?: number;
	/** The key whose public half is certified; a new 2048-bit RSA key when omitted. */
	key?: string;
	/** What it may be used for; default both, so one certificate can serve either end. */
	usage?: 'server' | 'client' | 'both';
	/** Makes it a CA certificate (can sign others). */
	isCa?: boolean;
	/** subjectAltName entries: IP addresses (v4 or v6) and DNS names. */
	altNames?: readonly string[];
	/** Hex; random when omitted. */
	serialNumber?: string;
}

/** A new RSA private key as unencrypted PKCS#8 PEM. */
export function generateRsaKey(modulusLength = 2048): string {
	return generateKeyPairSync('rsa', { modulusLength }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

function forgePrivateKey(keyPem: string): forge.pki.rsa.PrivateKey {
	// forge reads PKCS#1 most reliably; node:crypto converts from whatever form the key is in.
	const pkcs1 = createPrivateKey(keyPem).export({ type: 'pkcs1', format: 'pem' }) as string;
	return forge.pki.privateKeyFromPem(pkcs1) as forge.pki.rsa.PrivateKey;
}

function subjectAttributes(subject: Subject | string): forge.pki.CertificateField[] {
	const s: Subject = typeof subject === 'string' ? { commonName: subject } : subject;
	const attributes: forge.pki.CertificateField[] = [{ name: 'commonName', value: s.commonName }];
	if (s.countryName) attributes.push({ name: 'countryName', value: s.countryName });
	attributes.push({ name: 'organizationName', value: s.organizationName ?? 'CityFibre Sandbox' });
	if (s.organizationalUnitName) attributes.push({ name: 'organizationalUnitName', value: s.organizationalUnitName });
	return attributes;
}

const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:]*)$/i;

/** A certificate for `options.subject`, signed by `options.ca` (or self-signed). */
export function issueCertificate(options: IssueOptions): CertificateAndKey {
	const key = options.key ?? generateRsaKey();
	const privateKey = forgePrivateKey(key);
	const cert = forge.pki.createCertificate();
	cert.publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
	// A positive serial: a leading 0x01 keeps the top bit clear.
	cert.serialNumber = options.serialNumber ?? `01${randomBytes(9).toString('hex')}`;
	cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - DAY_MS);
	cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + (options.validDays ?? 825) * DAY_MS);
	const subject = subjectAttributes(options.subject);
	cert.setSubject(subject);
	cert.setIssuer(options.ca ? forge.pki.certificateFromPem(options.ca.cert).subject.attributes : subject);

	const usage = options.usage ?? 'both';
	const extensions: object[] = [{ name: 'basicConstraints', cA: Boolean(options.isCa), critical: true }];
	if (options.isCa) {
		extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true });
	} else {
		extensions.push(
			{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
			{ name: 'extKeyUsage', serverAuth: usage !== 'client', clientAuth: usage !== 'server' },
		);
	}
	if (options.altNames?.length) {
		extensions.push({
			name: 'subjectAltName',
			altNames: options.altNames.map((n) => (IP_ADDRESS.test(n) ? { type: 7, ip: n } : { type: 2, value: n })),
		});
	}
	extensions.push({ name: 'subjectKeyIdentifier' });
	cert.setExtensions(extensions);
	const signingKey = options.ca ? forgePrivateKey(options.ca.key) : privateKey;
	cert.sign(signingKey, forge.md.sha256.create());
	return { cert: forge.pki.certificateToPem(cert), key };
}

/** A new self-signed CA that can issue certificates with `issueCertificate({ ca, ... })`. */
export function createCertificateAuthority(
	options: { commonName?: string; notBefore?: Date; notAfter?: Date; validDays?: number; key?: string } = {},
): CertificateAuthority {
	return issueCertificate({
		subject: { commonName: options.commonName ?? 'CityFibre Sandbox CA' },
		isCa: true,
		notBefore: options.notBefore,
		notAfter: options.notAfter,
		validDays: options.validDays ?? 3650,
		key: options.key,
	});
}

/** The key encrypted with a passphrase (PKCS#8 `ENCRYPTED PRIVATE KEY`, AES-256-CBC). */
export function encryptPrivateKey(keyPem: string, passphrase: string): string {
	return createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
}

/** A PKCS#12 (.p12/.pfx) bundle of the certificate, its key and the chain, as DER bytes. */
export function toPkcs12(options: { cert: string; key: string; chain?: readonly string[]; passphrase: string; friendlyName?: string }): Buffer {
	const certificates = [options.cert, ...(options.chain ?? [])].map((pem) => forge.pki.certificateFromPem(pem));
	const asn1 = forge.pkcs12.toPkcs12Asn1(forgePrivateKey(options.key), certificates, options.passphrase, {
		algorithm: 'aes256',
		friendlyName: options.friendlyName,
	});
	return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

// --- The sandbox's own set -------------------------------------------------------------------------

/** File names inside the certificates folder. */
export const CERT_FILES = {
	caCert: 'ca.crt',
	caKey: 'ca.key',
	serverCert: 'server.crt',
	serverKey: 'server.key',
	buyerCert: 'buyer.crt',
	buyerKey: 'buyer.key',
	buyerEncryptedKey: 'buyer.encrypted.key',
	buyerPkcs12: 'buyer.p12',
	buyerPassphrase: 'buyer.passphrase',
	notifierCert: 'notifier.crt',
	notifierKey: 'notifier.key',
} as const;

export interface CertificateFiles extends CertificateAndKey {
	certPath: string;
	keyPath: string;
}

export interface BuyerCertificate extends CertificateFiles {
	/** The key encrypted with `passphrase`. */
	encryptedKey: string;
	encryptedKeyPath: string;
	/** The PKCS#12 bundle (certificate, key, CA) as base64, protected by `passphrase`. */
	pkcs12Base64: string;
	pkcs12Path: string;
	passphrase: string;
	passphrasePath: string;
}

export interface SandboxCertificates {
	dir: string;
	ca: CertificateFiles;
	server: CertificateFiles;
	buyer: BuyerCertificate;
	/** What the sandbox presents as a client when it delivers notifications over https. */
	notifier: CertificateFiles;
	/** True when this call created (some of) them. */
	created: boolean;
}

export interface EnsureCertificatesOptions {
	/** Passphrase of the encrypted key and the PKCS#12 bundle; random (and kept in a file) when omitted. */
	passphrase?: string;
	/** Names the server certificate must cover besides 127.0.0.1, ::1 and localhost. */
	hostNames?: readonly string[];
	/** Common name of the Buyer certificate. */
	buyerName?: string;
}

const DEFAULT_SERVER_NAMES = ['127.0.0.1', '::1', 'localhost'];

function read(file: string): string | undefined {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}
}

/** Written beside the target and renamed, so a reader never sees half a file; keys are owner-only. */
function write(file: string, content: string | Buffer, secret: boolean): void {
	const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
	fs.writeFileSync(temporary, content, { mode: secret ? 0o600 : 0o644 });
	fs.renameSync(temporary, file);
}

/** A usable certificate: parses, signed by `ca`, matches `key`, valid for at least another day, covers `names`. */
function stillGood(cert: string | undefined, key: string | undefined, ca: X509Certificate | undefined, names: readonly string[] = []): boolean {
	if (!cert || !key) return false;
	try {
		const x509 = new X509Certificate(cert);
		if (ca && !x509.verify(ca.publicKey)) return false;
		if (!x509.checkPrivateKey(createPrivateKey(key))) return false;
		if (new Date(x509.validTo).getTime() < Date.now() + DAY_MS) return false;
		return names.every((n) => (IP_ADDRESS.test(n) ? x509.checkIP(n) !== undefined : x509.checkHost(n) !== undefined));
	} catch {
		return false;
	}
}

/** The sandbox's certificates in `dir`: reused when still good, created (and saved) when not. */
export function ensureSandboxCertificates(dir: string, options: EnsureCertificatesOptions = {}): SandboxCertificates {
	fs.mkdirSync(dir, { recursive: true });
	const at = (name: keyof typeof CERT_FILES) => path.join(dir, CERT_FILES[name]);
	let created = false;

	let ca: CertificateAndKey = { cert: read(at('caCert')) ?? '', key: read(at('caKey')) ?? '' };
	if (!stillGood(ca.cert, ca.key, undefined)) {
		ca = createCertificateAuthority();
		write(at('caKey'), ca.key, true);
		write(at('caCert'), ca.cert, false);
		created = true;
	}
	const caX509 = new X509Certificate(ca.cert);

	const pair = (
		certName: keyof typeof CERT_FILES,
		keyName: keyof typeof CERT_FILES,
		make: () => CertificateAndKey,
		names?: readonly string[],
	): CertificateFiles => {
		let material: CertificateAndKey = { cert: read(at(certName)) ?? '', key: read(at(keyName)) ?? '' };
		if (!stillGood(material.cert, material.key, caX509, names)) {
			material = make();
			write(at(keyName), material.key, true);
			write(at(certName), material.cert, false);
			created = true;
		}
		return { ...material, certPath: at(certName), keyPath: at(keyName) };
	};

	const serverNames = [...new Set([...DEFAULT_SERVER_NAMES, ...(options.hostNames ?? [])])].filter((n) => n && n !== '0.0.0.0' && n !== '::');
	const server = pair(
		'serverCert',
		'serverKey',
		() => issueCertificate({ ca, subject: { commonName: 'CityFibre Sandbox API' }, usage: 'server', altNames: serverNames }),
		serverNames,
	);
	const buyerName = options.buyerName ?? 'SPDEV1';
	const buyer = pair('buyerCert', 'buyerKey', () =>
		issueCertificate({ ca, subject: { commonName: buyerName, organizationName: 'CityFibre Sandbox Buyer' }, usage: 'client' }),
	);
	const notifier = pair('notifierCert', 'notifierKey', () =>
		issueCertificate({ ca, subject: { commonName: 'CityFibre Sandbox Notifications' }, usage: 'client' }),
	);

	// The passphrase-protected forms follow the passphrase: remade when it or the key changed.
	const storedPassphrase = read(at('buyerPassphrase'))?.trim();
	const passphrase = options.passphrase ?? storedPassphrase ?? randomBytes(12).toString('base64url');
	if (passphrase !== storedPassphrase) write(at('buyerPassphrase'), passphrase, true);
	let encryptedKey = read(at('buyerEncryptedKey'));
	if (!encryptedKey || !encryptedKeyMatches(encryptedKey, passphrase, buyer.key)) {
		encryptedKey = encryptPrivateKey(buyer.key, passphrase);
		write(at('buyerEncryptedKey'), encryptedKey, true);
		created = true;
	}
	const storedPkcs12: Buffer | undefined = fs.existsSync(at('buyerPkcs12')) ? fs.readFileSync(at('buyerPkcs12')) : undefined;
	let pkcs12: Buffer;
	if (storedPkcs12 && pkcs12Matches(storedPkcs12, passphrase, buyer.cert)) {
		pkcs12 = storedPkcs12;
	} else {
		pkcs12 = toPkcs12({ cert: buyer.cert, key: buyer.key, chain: [ca.cert], passphrase, friendlyName: buyerName });
		write(at('buyerPkcs12'), pkcs12, true);
		created = true;
	}

	return {
		dir,
		ca: { ...ca, certPath: at('caCert'), keyPath: at('caKey') },
		server,
		buyer: {
			...buyer,
			encryptedKey,
			encryptedKeyPath: at('buyerEncryptedKey'),
			pkcs12Base64: pkcs12.toString('base64'),
			pkcs12Path: at('buyerPkcs12'),
			passphrase,
			passphrasePath: at('buyerPassphrase'),
		},
		notifier,
		created,
	};
}

function encryptedKeyMatches(encryptedKey: string, passphrase: string, keyPem: string): boolean {
	try {
		const plain = createPrivateKey({ key: encryptedKey, passphrase }).export({ type: 'pkcs8', format: 'der' });
		return plain.equals(createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' }));
	} catch {
		return false;
	}
}

function pkcs12Matches(bundle: Buffer, passphrase: string, certPem: string): boolean {
	try {
		const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(bundle.toString('binary')), passphrase);
		const bags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
		const expected = new X509Certificate(certPem).fingerprint256;
		return bags.some((bag) => bag.cert && new X509Certificate(forge.pki.certificateToPem(bag.cert)).fingerprint256 === expected);
	} catch {
		return false;
	}
}
