import { ProxyTunnelError } from '../../nodes/CityFibre/transport/proxy';
import { CityFibreError, RequestTimeoutError, connectionError, translateConnectionError } from '../../nodes/CityFibre/transport/errors';
import { OUTCOME_HINTS } from '../../nodes/CityFibre/transport/outcomes';
import { TlsMaterialError } from '../../nodes/CityFibre/transport/tlsMaterial';

const host = 'api-gw.cityfibre.com:41223';

/** An error shaped like the ones Node's net/tls modules raise. */
function nodeError(code: string, message: string): NodeJS.ErrnoException {
	return Object.assign(new Error(message), { code });
}

describe('translateConnectionError', () => {
	it.each([
		['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'],
		['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'],
		['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'],
	])('says an unknown CA (%s) means the server is not trusted', (code, message) => {
		expect(translateConnectionError(nodeError(code, message), host)).toMatchObject({
			kind: 'tls',
			outcome: 'serverNotTrusted',
			message: `The server at ${host} is not trusted: its certificate is signed by an unknown certificate authority.`,
		});
	});

	it('says a server certificate for another name is not trusted', () => {
		const error = nodeError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames");
		expect(translateConnectionError(error, host)).toMatchObject({ outcome: 'serverNotTrusted', message: `The server's certificate is not issued for ${host}: the server is not trusted.` });
	});

	it.each([
		['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'error:0A000418:SSL routines::tlsv1 alert unknown ca:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1605:SSL alert number 48'],
		['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'error:0A000412:SSL routines::sslv3 alert bad certificate:SSL alert number 42'],
		['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'error:0A00045C:SSL routines::tlsv13 alert certificate required:SSL alert number 116'],
	])('says the server refused the client certificate on alert %s', (code, message) => {
		const translation = translateConnectionError(nodeError(code, message), host, true);
		expect(translation).toMatchObject({ kind: 'tls', outcome: 'certificateRefused', message: `The server at ${host} refused the client certificate.` });
		expect(translation.detail).toContain(code);
		expect(translation.detail).not.toContain('rec_layer_s3.c');
	});

	it('says the server refused the client certificate as expired on a certificate-expired alert', () => {
		const error = nodeError('ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', 'error:0A000415:SSL routines::sslv3 alert certificate expired:SSL alert number 45');
		expect(translateConnectionError(error, host, true)).toMatchObject({
			outcome: 'certificateRefused',
			message: `The server at ${host} refused the client certificate as expired.`,
		});
	});

	it.each([
		['ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:41223', 'the connection was refused'],
		['ENOTFOUND', 'getaddrinfo ENOTFOUND api-gw.cityfibre.com', 'the host name cannot be resolved'],
		['EHOSTUNREACH', 'connect EHOSTUNREACH', 'there is no route to it'],
	])('says %s means the host is unreachable', (code, message, why) => {
		expect(translateConnectionError(nodeError(code, message), host)).toMatchObject({
			kind: 'network',
			outcome: 'unreachable',
			message: `${host} is unreachable: ${why}.`,
		});
	});

	it('says our own timer firing means the host did not answer in time', () => {
		expect(translateConnectionError(new RequestTimeoutError('No answer within 30000 ms'), host)).toMatchObject({
			kind: 'timeout',
			outcome: 'timeout',
			message: `${host} did not answer in time.`,
		});
	});

	it('says a plain-HTTP server on the port does not speak TLS', () => {
		const error = nodeError('ERR_SSL_WRONG_VERSION_NUMBER', 'error:0A00010B:SSL routines::wrong version number');
		expect(translateConnectionError(error, host)).toMatchObject({ outcome: 'notTls' });
	});

	it('says a connection cut during the handshake was closed during the handshake', () => {
		const error = nodeError('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established');
		expect(translateConnectionError(error, host, false).message).toBe(
			`${host} closed the connection during the TLS handshake (a firewall, or a server refusing the client certificate).`,
		);
	});

	it('says a connection cut after the handshake was closed before answering', () => {
		expect(translateConnectionError(nodeError('ECONNRESET', 'socket hang up'), host, true).message).toMatch(
			new RegExp(`^${host} closed the connection before answering \\(`),
		);
	});

	it('says a proxy that refuses the tunnel failed, naming its answer', () => {
		const error = new ProxyTunnelError('The proxy http://proxy.isp.example:3128 refused the tunnel: HTTP 407 Proxy Authentication Required', 407);
		expect(translateConnectionError(error, host)).toMatchObject({
			kind: 'network',
			outcome: 'proxyFailed',
			message: 'The proxy http://proxy.isp.example:3128 refused the tunnel: HTTP 407 Proxy Authentication Required.',
		});
	});

	it('passes a local material problem through with its own outcome and words', () => {
		const error = new TlsMaterialError('keyMismatch', 'The private key does not belong to the client certificate.');
		expect(translateConnectionError(error, host)).toMatchObject({ kind: 'tls', outcome: 'keyMismatch', message: error.message });
	});
});

describe('connectionError', () => {
	it('makes a CityFibreError with the outcome as code, its hint, and the given context', () => {
		const error = connectionError(translateConnectionError(nodeError('ECONNREFUSED', 'connect ECONNREFUSED'), host), {
			operation: 'addFaultReport',
			messageId: 'm-1',
			attempts: 3,
		});
		expect(error).toBeInstanceOf(CityFibreError);
		expect(error).toMatchObject({
			kind: 'network',
			code: 'unreachable',
			outcome: 'unreachable',
			hint: OUTCOME_HINTS.unreachable,
			operation: 'addFaultReport',
			messageId: 'm-1',
			attempts: 3,
		});
	});
});
