/**
 * The one line the command prints when it is ready: a fixed prefix, then JSON with the base URL
 * and the paths of the files a client needs. People read it; scripts find the prefix and parse
 * the rest. It names files, never their contents, so it holds no secret.
 */
import type { Sandbox } from './index';

export const READY_PREFIX = 'CityFibre sandbox ready ';

export interface ReadyInfo {
	/** POST operations to `${baseUrl}/<operation>`. */
	baseUrl: string;
	rootUrl: string;
	controlUrl: string;
	port: number;
	buyers: readonly string[];
	seed: number;
	clockSpeed: number;
	autoProgress: boolean;
	/** The CA that signed the server certificate: trust it. */
	ca: string;
	/** The Buyer's client certificate and its unencrypted key. */
	cert: string;
	key: string;
	/** The same key, encrypted with the passphrase in `passphraseFile`. */
	encryptedKey: string;
	/** Certificate, key and CA as a PKCS#12 bundle, protected by the passphrase in `passphraseFile`. */
	pkcs12: string;
	passphraseFile: string;
	certsDir: string;
	notifyUrl?: string;
	stateFile?: string;
}

export function readyInfo(sandbox: Sandbox, extra: { notifyUrl?: string; stateFile?: string } = {}): ReadyInfo {
	const { certs } = sandbox;
	return {
		baseUrl: sandbox.baseUrl,
		rootUrl: sandbox.rootUrl,
		controlUrl: sandbox.controlUrl,
		port: sandbox.port,
		buyers: sandbox.buyers,
		seed: sandbox.seed,
		clockSpeed: sandbox.clockSpeed,
		autoProgress: sandbox.autoProgress,
		ca: certs.ca.certPath,
		cert: certs.buyer.certPath,
		key: certs.buyer.keyPath,
		encryptedKey: certs.buyer.encryptedKeyPath,
		pkcs12: certs.buyer.pkcs12Path,
		passphraseFile: certs.buyer.passphrasePath,
		certsDir: certs.dir,
		...(extra.notifyUrl ? { notifyUrl: extra.notifyUrl } : {}),
		...(extra.stateFile ? { stateFile: extra.stateFile } : {}),
	};
}

export function formatReadyLine(info: ReadyInfo): string {
	return `${READY_PREFIX}${JSON.stringify(info)}`;
}

/** The ready line's content, or undefined when `line` is not the ready line. */
export function parseReadyLine(line: string): ReadyInfo | undefined {
	const at = line.indexOf(READY_PREFIX);
	if (at < 0) return undefined;
	try {
		return JSON.parse(line.slice(at + READY_PREFIX.length)) as ReadyInfo;
	} catch {
		return undefined;
	}
}
