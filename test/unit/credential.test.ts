import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { CityFibreTicketingApi } from '../../credentials/CityFibreTicketingApi.credentials';
import { DEFAULT_API_VERSION, ENVIRONMENTS } from '../../nodes/CityFibre/catalogue';
import type { CityFibreCredentials } from '../../nodes/CityFibre/transport/credentials';
import { BaseUrlError, credentialsFromN8n, operationUrl, resolveBaseUrl } from '../../nodes/CityFibre/transport/credentials';

const credential = new CityFibreTicketingApi();
const fields = (name: string): INodeProperties[] => credential.properties.filter((p) => p.name === name);
const field = (name: string): INodeProperties => fields(name)[0];

describe('the credential type', () => {
	it('keeps its name, which workflows and the node refer to', () => {
		expect(credential.name).toBe('cityFibreTicketingApi');
		expect(credential.displayName).toBe('CityFibre Ticketing API');
	});

	it('shows the nodes\' light and dark icons, at paths relative to its own folder', () => {
		expect(credential.icon).toEqual({ light: 'file:../nodes/CityFibre/cityfibre.svg', dark: 'file:../nodes/CityFibre/cityfibre.dark.svg' });
		const folder = join(__dirname, '..', '..', 'credentials');
		for (const icon of Object.values(credential.icon as Record<string, string>)) expect(existsSync(join(folder, icon.replace(/^file:/, '')))).toBe(true);
	});

	it('offers every environment of the catalogue, plus a custom base URL', () => {
		const values = field('environment').options?.map((o) => (o as { value: string }).value);
		expect(values).toEqual([...Object.keys(ENVIRONMENTS), 'custom']);
	});

	it('asks for a base URL only for the sandbox (pre-filled) and a custom environment (required)', () => {
		const [sandbox, custom] = fields('baseUrl');
		expect(sandbox.displayOptions?.show?.environment).toEqual(['sandbox']);
		expect(sandbox.default).toBe(ENVIRONMENTS.sandbox.baseUrl);
		expect(custom.displayOptions?.show?.environment).toEqual(['custom']);
		expect(custom.required).toBe(true);
	});

	it('defaults the API version to the catalogue\'s', () => {
		expect(field('apiVersion').default).toBe(DEFAULT_API_VERSION);
	});

	it('hides every secret field like a password', () => {
		for (const name of ['privateKey', 'pkcs12', 'passphrase', 'certificate']) expect(field(name).typeOptions?.password).toBe(true);
	});

	it('gives multi-line secrets room for a pasted file', () => {
		for (const name of ['certificate', 'privateKey', 'pkcs12']) expect(field(name)).toMatchObject({ type: 'string', typeOptions: { password: true, rows: 4 } });
		expect(field('caBundle').typeOptions?.rows).toBe(4);
	});

	it('does not require the private key, so n8n still tests a credential whose certificate field holds a combined file', () => {
		expect(field('privateKey').required).not.toBe(true);
		expect(field('certificate').required).toBe(true);
	});

	it('shows the PEM fields for the PEM format and the bundle for PKCS#12', () => {
		expect(field('certificate').displayOptions?.show?.certificateFormat).toEqual(['pem']);
		expect(field('privateKey').displayOptions?.show?.certificateFormat).toEqual(['pem']);
		expect(field('pkcs12').displayOptions?.show?.certificateFormat).toEqual(['pkcs12']);
	});

	it('has a field for every credential value the transport reads', () => {
		const transportKeys: Array<keyof CityFibreCredentials> = [
			'environment',
			'baseUrl',
			'buyerIdentifier',
			'apiVersion',
			'timeoutSeconds',
			'certificateFormat',
			'certificate',
			'privateKey',
			'pkcs12',
			'passphrase',
			'caBundle',
		];
		expect(new Set(credential.properties.map((p) => p.name))).toEqual(new Set(transportKeys));
	});
});

describe('credentialsFromN8n', () => {
	it('reads the fields n8n stores', () => {
		const read = credentialsFromN8n({
			environment: 'cfStaging',
			buyerIdentifier: ' SPDEV1 ',
			apiVersion: '1.2',
			timeoutSeconds: 12,
			certificateFormat: 'pkcs12',
			pkcs12: 'MIIK',
			passphrase: ' spaces kept ',
		}, 'cred-7');
		expect(read).toMatchObject({
			environment: 'cfStaging',
			buyerIdentifier: 'SPDEV1',
			apiVersion: '1.2',
			timeoutSeconds: 12,
			certificateFormat: 'pkcs12',
			pkcs12: 'MIIK',
			passphrase: ' spaces kept ',
			credentialId: 'cred-7',
		});
	});

	it('fills defaults for what is missing', () => {
		expect(credentialsFromN8n({ environment: 'sandbox', buyerIdentifier: 'SPDEV1' })).toMatchObject({
			apiVersion: DEFAULT_API_VERSION,
			timeoutSeconds: 30,
			certificateFormat: 'pem',
			passphrase: undefined,
			caBundle: undefined,
		});
	});

	it('reads an unknown or missing environment as the credential\'s default, CFSit, never Production', () => {
		expect(field('environment').default).toBe('cfSit');
		expect(credentialsFromN8n({ environment: 'prod', buyerIdentifier: 'SPDEV1' }).environment).toBe('cfSit');
		expect(credentialsFromN8n({ buyerIdentifier: 'SPDEV1' }).environment).toBe('cfSit');
	});

	it('treats an empty passphrase as none', () => {
		expect(credentialsFromN8n({ environment: 'sandbox', passphrase: '' }).passphrase).toBeUndefined();
	});
});

describe('resolveBaseUrl', () => {
	it.each(Object.entries(ENVIRONMENTS).filter(([key]) => key !== 'sandbox'))('uses the catalogue URL for %s', (environment, env) => {
		expect(resolveBaseUrl({ environment: environment as CityFibreCredentials['environment'] }).href).toBe(env.baseUrl);
	});

	it('uses the sandbox default when no sandbox URL is given, and the given one otherwise', () => {
		expect(resolveBaseUrl({ environment: 'sandbox' }).href).toBe(ENVIRONMENTS.sandbox.baseUrl);
		expect(resolveBaseUrl({ environment: 'sandbox', baseUrl: 'https://127.0.0.1:5000/cfsit/api2/' }).href).toBe('https://127.0.0.1:5000/cfsit/api2');
	});

	it('ignores the base URL field for CityFibre\'s own environments', () => {
		expect(resolveBaseUrl({ environment: 'production', baseUrl: 'https://elsewhere.example' }).href).toBe(ENVIRONMENTS.production.baseUrl);
	});

	it.each([
		['', 'The base URL is empty'],
		['api-gw.cityfibre.com/prod', 'The base URL is not a valid address'],
		['http://api-gw.cityfibre.com:41223/prod/api2', 'The base URL must start with https://'],
		['https://user:pw@host/api2', 'must not contain a user name or password'],
		['https://host/api2?x=1', 'must not contain a query'],
		['https://host:99999/api2', 'The base URL is not a valid address'],
	])('says a custom base URL %p is malformed', (baseUrl, words) => {
		expect(() => resolveBaseUrl({ environment: 'custom', baseUrl })).toThrow(BaseUrlError);
		expect(() => resolveBaseUrl({ environment: 'custom', baseUrl })).toThrow(words);
	});

	it('appends the operation as a path segment', () => {
		expect(operationUrl(resolveBaseUrl({ environment: 'cfSit' }), 'addFaultReport').href).toBe(`${ENVIRONMENTS.cfSit.baseUrl}/addFaultReport`);
	});
});
