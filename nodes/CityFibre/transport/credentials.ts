/**
 * The credential as the transport sees it: plain typed values read once from n8n's decrypted
 * credential data, and the base URL it resolves to. Nothing here is ever logged or returned.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DEFAULT_API_VERSION, ENVIRONMENTS } from '../catalogue';
import type { EnvironmentKey } from '../catalogue';

export type CityFibreEnvironment = EnvironmentKey;

export interface CityFibreCredentials {
	environment: CityFibreEnvironment;
	/** The custom base URL; for `sandbox` the sandbox URL (default from the catalogue's ENVIRONMENTS). */
	baseUrl?: string;
	buyerIdentifier: string;
	/** Defaults to DEFAULT_API_VERSION. */
	apiVersion?: string;
	/** Per attempt; defaults to DEFAULT_TIMEOUT_SECONDS. */
	timeoutSeconds?: number;
	certificateFormat: 'pem' | 'pkcs12';
	certificate?: string;
	privateKey?: string;
	/** A PKCS#12 (.p12/.pfx) bundle as base64. */
	pkcs12?: string;
	passphrase?: string;
	/** Extra trusted CA certificates (PEM), added to the public roots. */
	caBundle?: string;
	/**
	 * n8n's id of the stored credential, when known: lets the agent pool close the old connections
	 * as soon as the same credential is saved with new TLS material.
	 */
	credentialId?: string;
}

export const DEFAULT_TIMEOUT_SECONDS = 30;

/**
 * The credential's default environment, and what an unknown or missing value is read as: an
 * integration-test environment, so a damaged credential can never send real tickets to Production.
 */
export const DEFAULT_ENVIRONMENT: CityFibreEnvironment = 'cfSit';

const ENVIRONMENT_KEYS: readonly CityFibreEnvironment[] = [...(Object.keys(ENVIRONMENTS) as CityFibreEnvironment[]), 'custom'];

function str(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim() === '' ? undefined : value;
	if (typeof value === 'number') return String(value);
	return undefined;
}

/** Reads n8n's decrypted credential data; unknown or empty values become undefined. */
export function credentialsFromN8n(data: ICredentialDataDecryptedObject, credentialId?: string): CityFibreCredentials {
	const environment = ENVIRONMENT_KEYS.includes(data.environment as CityFibreEnvironment)
		? (data.environment as CityFibreEnvironment)
		: DEFAULT_ENVIRONMENT;
	const timeout = Number(data.timeoutSeconds);
	return {
		environment,
		baseUrl: str(data.baseUrl)?.trim(),
		buyerIdentifier: str(data.buyerIdentifier)?.trim() ?? '',
		apiVersion: str(data.apiVersion)?.trim() ?? DEFAULT_API_VERSION,
		timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_SECONDS,
		certificateFormat: data.certificateFormat === 'pkcs12' ? 'pkcs12' : 'pem',
		certificate: str(data.certificate),
		privateKey: str(data.privateKey),
		pkcs12: str(data.pkcs12),
		passphrase: typeof data.passphrase === 'string' && data.passphrase !== '' ? data.passphrase : undefined,
		caBundle: str(data.caBundle),
		credentialId,
	};
}

/** Why a base URL cannot be used, in words a user can act on. */
export class BaseUrlError extends Error {
	readonly name = 'BaseUrlError';
}

/**
 * The environment's base URL as a parsed URL without a trailing slash. Custom and sandbox URLs
 * must be absolute `https:` URLs without query or fragment (operations are appended as a path).
 */
export function resolveBaseUrl(credentials: Pick<CityFibreCredentials, 'environment' | 'baseUrl'>): URL {
	const { environment } = credentials;
	let text: string | undefined;
	if (environment === 'custom') text = credentials.baseUrl;
	else if (environment === 'sandbox') text = credentials.baseUrl || ENVIRONMENTS.sandbox.baseUrl;
	else if (environment in ENVIRONMENTS) text = ENVIRONMENTS[environment].baseUrl;
	if (!text) throw new BaseUrlError('The base URL is empty: enter the full address, e.g. https://api-gw.cityfibre.com:41223/cfsit/api2');
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		throw new BaseUrlError('The base URL is not a valid address: it must look like https://host:port/path');
	}
	if (url.protocol !== 'https:') {
		throw new BaseUrlError(`The base URL must start with https:// (it starts with ${url.protocol}//): CityFibre only answers over mutual TLS`);
	}
	if (url.username || url.password) throw new BaseUrlError('The base URL must not contain a user name or password');
	if (url.search || url.hash) throw new BaseUrlError('The base URL must not contain a query (?…) or fragment (#…)');
	url.pathname = url.pathname.replace(/\/+$/, '');
	return url;
}

/** `<base>/<operation>`. */
export function operationUrl(base: URL, operation: string): URL {
	const url = new URL(base.href);
	url.pathname = `${base.pathname.replace(/\/+$/, '')}/${operation}`;
	return url;
}
