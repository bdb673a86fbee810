/* eslint-disable n8n-nodes-base/node-filename-against-convention */
// ^ This file holds the node class's description (the node file uses it), so the rule tying a
// description to a `*.node.ts` file name does not apply; n8n's versioned nodes do the same.
/**
 * What the editor shows. The event list comes from the catalogue's NOTIFICATION_EVENTS (shared
 * with the classifier and the sandbox); nothing here restates a CityFibre field.
 */
import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

import { ALL_EVENT_OPTIONS } from '../catalogue';
import { ALL_EVENTS, DEFAULT_REPEAT_WINDOW_MINUTES } from './settings';

export const DEFAULT_PATH = 'cityfibre-notifications';

const DOCS = 'https://github.com/n8n-nodes-cityfibre/n8n-nodes-cityfibre#cityfibre-ticketing-trigger';

const eventOptions: INodePropertyOptions[] = [
	{ name: 'All Events', value: ALL_EVENTS, description: 'Every notification starts the workflow' },
	...[...ALL_EVENT_OPTIONS].sort((a, b) => a.name.localeCompare(b.name)),
];

const properties: INodeProperties[] = [
	{
		displayName:
			'Give CityFibre the Production URL above (via your reverse proxy\'s public address) as your notification endpoint. Every notification is answered with the acknowledgement CityFibre expects.',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: DEFAULT_PATH,
		required: true,
		placeholder: DEFAULT_PATH,
		description: 'The end of the webhook URL. Use a different path for each CityFibre environment, e.g. cityfibre-cfsit.',
	},
	{
		displayName: 'Buyer Identifier From',
		name: 'buyerIdentifierSource',
		type: 'options',
		options: [
			{
				name: 'CityFibre Credential',
				value: 'credential',
				description: 'The same credential your CityFibre Ticketing nodes use, so sending and receiving always agree',
			},
			{
				name: 'This Node',
				value: 'parameter',
				description: 'Type it here, e.g. when this n8n only receives notifications',
			},
		],
		default: 'credential',
		description: 'Notifications for any other buyer identifier are rejected',
	},
	{
		displayName: 'Buyer Identifier',
		name: 'buyerIdentifier',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'SPDEV1',
		description: 'The identifier CityFibre assigned your organisation at onboarding',
		displayOptions: { show: { buyerIdentifierSource: ['parameter'] } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: eventOptions,
		default: [ALL_EVENTS],
		required: true,
		description:
			'Which notifications start the workflow. Every notification is acknowledged to CityFibre, chosen or not; one that carries several events starts it if any of them is chosen.',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'Basic Auth', value: 'basicAuth', description: 'Callers must send the user and password of a Basic Auth credential' },
			{ name: 'None', value: 'none', description: 'Rely on your reverse proxy, the required header and the IP allow-list' },
		],
		default: 'none',
		description: 'HTTP authentication the caller must present (the client certificate is checked by your reverse proxy)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Allowed IP Addresses',
				name: 'allowedIpAddresses',
				type: 'string',
				default: '',
				placeholder: 'e.g. 52.51.45.11, 52.58.75.78, 10.0.0.0/8',
				description: 'Comma-separated addresses or CIDR ranges that may call. Leave empty to allow any.',
			},
			{
				displayName: 'Ignore Repeats Within (Minutes)',
				name: 'repeatWindowMinutes',
				type: 'number',
				default: DEFAULT_REPEAT_WINDOW_MINUTES,
				typeOptions: { minValue: 0 },
				description:
					'A notification whose messageId arrived this recently is acknowledged again but does not start the workflow twice. 0 turns this off. Kept in memory only: add a Remove Duplicates node for restarts and queue mode.',
			},
			{
				displayName: 'Include Raw XML',
				name: 'includeRawXml',
				type: 'boolean',
				default: false,
				description: 'Whether to add the notification exactly as received, as text in rawXml',
			},
			{
				displayName: 'Refusal HTTP Status',
				name: 'refusalHttpStatus',
				type: 'options',
				options: [
					{
						name: 'Always 200',
						value: 'always200',
						description: 'Only the SOAP acknowledgement (responseCode 400) says the message was rejected',
					},
					{
						name: 'Match the Problem',
						value: 'matching',
						description: '400 for a bad message, 401/403 for failed authentication, 413, 415, 500',
					},
				],
				default: 'matching',
				description: 'The HTTP status sent with a Rejected acknowledgement',
			},
			{
				displayName: 'Required Header',
				name: 'requiredHeader',
				type: 'fixedCollection',
				default: {},
				placeholder: 'Add Header',
				description: 'A header your reverse proxy adds after verifying CityFibre\'s client certificate',
				options: [
					{
						displayName: 'Header',
						name: 'header',
						values: [
							{
								displayName: 'Name',
								name: 'name',
								type: 'string',
								default: '',
								placeholder: 'X-CityFibre-Proxy-Secret',
							},
							{
								displayName: 'Value',
								name: 'value',
								type: 'string',
								typeOptions: { password: true },
								default: '',
								description: 'Compared in constant time; keep it as secret as a password',
							},
						],
					},
				],
			},
			{
				displayName: 'Trust X-Forwarded-For',
				name: 'trustForwardedFor',
				type: 'boolean',
				default: false,
				description:
					'Whether to check the allow-list against the address your reverse proxy puts last in X-Forwarded-For, instead of the connecting address. Turn on only behind a proxy you run.',
			},
		],
	},
];

export const triggerDescription: INodeTypeDescription = {
	displayName: 'CityFibre Ticketing Trigger',
	name: 'cityFibreTicketingTrigger',
	icon: { light: 'file:cityfibre.svg', dark: 'file:cityfibre.dark.svg' },
	group: ['trigger'],
	version: 1,
	subtitle: '={{ ($parameter["events"] || []).includes("*") ? "All events" : ($parameter["events"] || []).join(", ") }}',
	description: 'Starts the workflow when CityFibre sends a fault ticket notification',
	documentationUrl: DOCS,
	defaults: { name: 'CityFibre Ticketing Trigger' },
	inputs: [],
	outputs: ['main'],
	credentials: [
		{ name: 'cityFibreTicketingApi', required: true, displayOptions: { show: { buyerIdentifierSource: ['credential'] } } },
		// n8n's own HTTP Basic Auth credential, as the Webhook node uses it (hence no -Api suffix).
		// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
		{ name: 'httpBasicAuth', required: true, displayOptions: { show: { authentication: ['basicAuth'] } } },
	],
	webhooks: [
		{
			name: 'default',
			httpMethod: 'POST',
			responseMode: 'onReceived',
			path: '={{$parameter["path"]}}',
			isFullPath: true,
		},
	],
	eventTriggerDescription: 'Waiting for CityFibre to send a notification to the Test URL',
	activationMessage: 'CityFibre notifications sent to the Production URL now start this workflow.',
	properties,
};
