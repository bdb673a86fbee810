/**
 * What can happen when we try to reach CityFibre with a client certificate, named once and
 * explained in plain words. The credential test reports these; the transport's TLS and network
 * errors carry the same names, so a workflow can route on them.
 */

export type ConnectionOutcome =
	| 'connected'
	| 'badUrl'
	| 'missingMaterial'
	| 'unreadableMaterial'
	| 'wrongPassphrase'
	| 'keyMismatch'
	| 'certificateExpired'
	| 'certificateNotYetValid'
	| 'serverNotTrusted'
	| 'certificateRefused'
	| 'notPermitted'
	| 'notTls'
	| 'proxyFailed'
	| 'unreachable'
	| 'timeout'
	| 'aborted';

/** What to do about each outcome: shown as the error's hint and in the README's table. */
export const OUTCOME_HINTS: Record<ConnectionOutcome, string> = {
	connected: 'Nothing to do: the credential works.',
	badUrl: 'Correct the base URL in the credential: https://host:port/path, e.g. https://api-gw.cityfibre.com:41223/cfsit/api2.',
	missingMaterial: 'Paste the client certificate and its private key (PEM), or the PKCS#12 bundle as base64, into the credential.',
	unreadableMaterial:
		'Paste the whole file, including the -----BEGIN …----- and -----END …----- lines (for PKCS#12: the base64 of the .p12/.pfx file, e.g. from `base64 -w0 client.p12`).',
	wrongPassphrase: 'Enter the passphrase the private key or PKCS#12 bundle was exported with.',
	keyMismatch: 'Paste the private key that belongs to this certificate (the pair CityFibre issued or registered for you).',
	certificateExpired: 'Ask CityFibre for a renewed client certificate and paste it with its key.',
	certificateNotYetValid: 'Wait until the certificate becomes valid, or check the clock of the machine running n8n.',
	serverNotTrusted:
		'If the server uses a private CA (the local sandbox, a corporate TLS proxy), paste that CA certificate into "CA Bundle"; otherwise check the base URL points at CityFibre.',
	certificateRefused:
		'The server does not accept this client certificate: check that it is the certificate CityFibre registered for this environment (CFSit, CFStaging and Production may differ), and that it has not been revoked.',
	notPermitted: 'The certificate was accepted but the call is not allowed: check that your egress IP address is on CityFibre\'s allow-list and that the buyer identifier is yours.',
	notTls: 'Check the scheme and port of the base URL: the server there does not speak TLS.',
	proxyFailed: 'Check HTTPS_PROXY / NO_PROXY on the n8n host, and that the proxy allows CONNECT to the CityFibre host and port.',
	unreachable: 'Check the host name and port, that n8n\'s host can reach it (firewall, DNS, proxy), and that your egress IP address is on CityFibre\'s allow-list.',
	timeout: 'The server did not answer in time: check the network path (firewall, allow-list, proxy) or raise the request timeout in the credential.',
	aborted: 'The call was cancelled before it finished.',
};

/** ISO date, the form the messages quote (e.g. `2026-01-31`). */
export function isoDate(date: Date): string {
	return date.toISOString().slice(0, 10);
}
