import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { DEFAULT_API_VERSION, ENVIRONMENTS } from '../nodes/CityFibre/catalogue/environments';
import { DEFAULT_ENVIRONMENT } from '../nodes/CityFibre/transport/credentials';

// The transport reads these fields through `credentialsFromN8n` (nodes/CityFibre/transport) and
// owns the TLS agent; the editor's "Test" button is the node's `methods.credentialTest`
// (nodes/CityFibre/methods/credentialTest.ts), which performs a real mutual-TLS request.

const pem = { show: { certificateFormat: ['pem'] } };
const pkcs12 = { show: { certificateFormat: ['pkcs12'] } };

export class CityFibreTicketingApi implements ICredentialType {
	name = 'cityFibreTicketingApi';

	displayName = 'CityFibre Ticketing API';

	// A full URL: the camelCase rule is meant for slugs of n8n's own documentation site.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased
	documentationUrl = 'https://github.com/n8n-nodes-cityfibre/n8n-nodes-cityfibre#the-credential-cityfibre-ticketing-api';

	icon = { light: 'file:../nodes/CityFibre/cityfibre.svg', dark: 'file:../nodes/CityFibre/cityfibre.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: DEFAULT_ENVIRONMENT,
			options: [
				{ name: ENVIRONMENTS.production.name, value: 'production', description: ENVIRONMENTS.production.baseUrl },
				{ name: ENVIRONMENTS.cfStaging.name, value: 'cfStaging', description: ENVIRONMENTS.cfStaging.baseUrl },
				{ name: ENVIRONMENTS.cfSit.name, value: 'cfSit', description: ENVIRONMENTS.cfSit.baseUrl },
				{ name: ENVIRONMENTS.docsMock.name, value: 'docsMock', description: ENVIRONMENTS.docsMock.baseUrl },
				{ name: ENVIRONMENTS.sandbox.name, value: 'sandbox', description: 'The simulator shipped with this package (npx cityfibre-sandbox)' },
				{ name: 'Custom Base URL', value: 'custom', description: 'Any other address, e.g. a gateway reached through a private link' },
			],
			description: 'Which CityFibre environment to call. Test in CFSit, then CFStaging, before Production.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: ENVIRONMENTS.sandbox.baseUrl,
			description: 'The address the local sandbox printed when it started',
			displayOptions: { show: { environment: ['sandbox'] } },
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://api-gw.cityfibre.com:41223/cfsit/api2',
			description: 'The full https:// address operations are appended to (…/addFaultReport)',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Buyer Identifier',
			name: 'buyerIdentifier',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'SPDEV1',
			description: 'The identifier CityFibre assigned your organisation at onboarding; sent in every message',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: DEFAULT_API_VERSION,
			description: 'The interface version sent in every message; change it only if CityFibre tells you to',
		},
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			default: 30,
			typeOptions: { minValue: 1, maxValue: 300 },
			description: 'How long to wait for each answer before giving up (read-only calls are then retried)',
		},
		{
			displayName: 'Certificate Format',
			name: 'certificateFormat',
			type: 'options',
			default: 'pem',
			options: [
				{ name: 'PEM Certificate and Private Key', value: 'pem', description: 'Two text files: client.crt (or .pem) and client.key' },
				{ name: 'PKCS#12 Bundle (.P12/.Pfx) as Base64', value: 'pkcs12', description: 'One binary file, pasted as base64' },
			],
			description: 'The form of the client certificate CityFibre issued or registered for you',
		},
		{
			displayName: 'Client Certificate',
			name: 'certificate',
			type: 'string',
			default: '',
			required: true,
			typeOptions: { password: true, rows: 4 }, // hidden like a password, with room for a pasted file
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'Paste the whole PEM file, including the BEGIN and END lines; add intermediate certificates below it if you have them',
			displayOptions: pem,
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			default: '',
			// Not marked required: n8n offers no credential test while a required field is empty, and a
			// combined file in the certificate field needs no key here. The test names a missing key.
			typeOptions: { password: true, rows: 4 }, // hidden like a password, with room for a pasted file
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description:
				'Paste the whole PEM private key, including the BEGIN and END lines. Leave empty only if the certificate field holds a combined file with the key in it.',
			displayOptions: pem,
		},
		{
			displayName: 'PKCS#12 Bundle (Base64)',
			name: 'pkcs12',
			type: 'string',
			default: '',
			required: true,
			typeOptions: { password: true, rows: 4 }, // hidden like a password, with room for a pasted file
			description: 'The .p12/.pfx file as base64, e.g. the output of: base64 -w0 client.p12 (macOS: base64 -i client.p12)',
			displayOptions: pkcs12,
		},
		{
			displayName: 'Passphrase',
			name: 'passphrase',
			type: 'string',
			default: '',
			typeOptions: { password: true },
			description: 'The passphrase of an encrypted private key or of the PKCS#12 bundle; leave empty if it has none',
		},
		{
			displayName: 'CA Bundle',
			name: 'caBundle',
			type: 'string',
			default: '',
			typeOptions: { rows: 4 },
			placeholder: '-----BEGIN CERTIFICATE-----',
			description:
				"Extra certificate authorities to trust, in PEM: the local sandbox's ca.crt, or a private CA. Added to the public ones; leave empty for CityFibre's environments.",
		},
	];
}
