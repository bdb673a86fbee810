import { CityFibreError } from '../../nodes/CityFibre/transport/errors';
import { clientCertificate, createTestCa, encryptKeyLegacy, toPkcs12Base64 } from '../support/badCerts';
import { SecretCollector } from '../support/secrets';

// The leak check is only worth something if it can fail: these tests make it fail on purpose.
const pair = clientCertificate(createTestCa('Collector CA'), 'SPDEV1');
const bundle = toPkcs12Base64(pair, 'bundle passphrase');

function collector(): SecretCollector {
	return new SecretCollector().addSecret('private key', pair.key).addSecret('PKCS#12 bundle', bundle).addSecret('passphrase', 'bundle passphrase');
}

describe('SecretCollector', () => {
	it('finds nothing in clean outputs, and counts what it looked at', () => {
		const secrets = collector();
		secrets.record('result', { status: 'Pending', certificate: pair.cert });
		secrets.record('error', new CityFibreError('tls', 'The passphrase does not open the private key.'));
		expect(secrets.leaks()).toEqual([]);
		expect(secrets.recordedCount).toBeGreaterThan(2);
	});

	it('finds one line of a key inside an error message', () => {
		const secrets = collector();
		const line = pair.key.split('\n')[5];
		secrets.record('error', new Error(`bad key material near ${line}`));
		expect(secrets.leaks()).toContainEqual({ where: 'error', secret: 'private key' });
	});

	it('finds a key whose line breaks were escaped in JSON', () => {
		const secrets = collector();
		secrets.record('output', { json: { data: pair.key } });
		expect(secrets.leaks().map((l) => l.secret)).toEqual(expect.arrayContaining(['private key', 'a PEM private key block']));
	});

	it('finds any PEM private key, even one it was not told about', () => {
		const secrets = new SecretCollector();
		secrets.record('log', encryptKeyLegacy(pair.key, 'x'));
		expect(secrets.leaks()).toEqual([{ where: 'log', secret: 'a PEM private key block' }]);
	});

	it('does not mistake a placeholder BEGIN line for a key', () => {
		const secrets = new SecretCollector();
		secrets.record('description', "placeholder: '-----BEGIN PRIVATE KEY-----', description: 'Paste the whole PEM private key'");
		expect(secrets.leaks()).toEqual([]);
	});

	it('finds a PKCS#12 bundle held in a Buffer', () => {
		const secrets = collector();
		secrets.record('error', Object.assign(new Error('x'), { pfx: Buffer.from(bundle, 'base64') }));
		expect(secrets.leaks()).toContainEqual({ where: 'error', secret: 'PKCS#12 bundle' });
	});

	it('finds a passphrase verbatim', () => {
		const secrets = collector();
		secrets.record('message', 'tried passphrase bundle passphrase');
		expect(secrets.leaks()).toEqual([{ where: 'message', secret: 'passphrase' }]);
	});

	it('records what the console prints while capturing', () => {
		const secrets = collector();
		secrets.captureConsole();
		const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
		try {
			console.log('debug:', { passphrase: 'bundle passphrase' });
		} finally {
			spy.mockRestore();
			secrets.stopCapture();
		}
		expect(secrets.leaks()).toContainEqual({ where: 'console.log', secret: 'passphrase' });
	});

	it('records what a promise settles with, and passes it on', async () => {
		const secrets = collector();
		await expect(secrets.observe('call', Promise.reject(new Error(`oops ${bundle.slice(100, 180)}`)))).rejects.toThrow('oops');
		expect(secrets.leaks()).toContainEqual({ where: 'call (error)', secret: 'PKCS#12 bundle' });
	});
});
