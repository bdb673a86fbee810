/**
 * The node's parameters and credentials, read once per delivery into plain typed settings. A
 * setting that cannot work (no buyer identifier, a bad allow-list entry, Basic auth without its
 * credential) is a `TriggerConfigError` naming the field, never a crash.
 */
import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

import { DEFAULT_API_VERSION } from '../catalogue';
import { credentialsFromN8n } from '../transport/credentials';
import type { RefusalHttpStatus } from './acknowledge';
import type { InboundSecurity } from './inboundAuth';
import { parseAllowList } from './inboundAuth';
import type { TriggerSettings } from './receive';
import { TriggerConfigError } from './refusals';

export const ALL_EVENTS = '*';
export const DEFAULT_REPEAT_WINDOW_MINUTES = 24 * 60;

interface TriggerOptions {
	allowedIpAddresses?: string;
	trustForwardedFor?: boolean;
	requiredHeader?: { header?: { name?: string; value?: string } };
	includeRawXml?: boolean;
	refusalHttpStatus?: RefusalHttpStatus;
	repeatWindowMinutes?: number;
}

async function credential(context: IWebhookFunctions, type: string, missing: string): Promise<ICredentialDataDecryptedObject> {
	try {
		return await context.getCredentials(type);
	} catch {
		throw new TriggerConfigError(missing);
	}
}

/** Where the buyer identifier and API version come from: the CityFibre credential, or this node. */
export async function identityOf(context: IWebhookFunctions): Promise<{ buyerIdentifier: string; apiVersion: string }> {
	const source = context.getNodeParameter('buyerIdentifierSource', 'credential') as string;
	if (source === 'parameter') {
		const buyerIdentifier = String(context.getNodeParameter('buyerIdentifier', '') ?? '').trim();
		if (!buyerIdentifier) throw new TriggerConfigError('Buyer Identifier is empty: enter the identifier CityFibre assigned you');
		return { buyerIdentifier, apiVersion: DEFAULT_API_VERSION };
	}
	const data = await credential(
		context,
		'cityFibreTicketingApi',
		'No CityFibre Ticketing API credential is selected: choose one, or set Buyer Identifier From to This Node',
	);
	const { buyerIdentifier, apiVersion } = credentialsFromN8n(data);
	if (!buyerIdentifier) throw new TriggerConfigError('The CityFibre Ticketing API credential has no Buyer Identifier');
	return { buyerIdentifier, apiVersion: apiVersion ?? DEFAULT_API_VERSION };
}

async function securityOf(context: IWebhookFunctions, options: TriggerOptions): Promise<InboundSecurity> {
	const security: InboundSecurity = { trustForwardedFor: options.trustForwardedFor === true };
	if (options.allowedIpAddresses) security.allowList = parseAllowList(options.allowedIpAddresses);
	const header = options.requiredHeader?.header;
	if (header) {
		const name = (header.name ?? '').trim();
		// HTTP drops spaces around a header value on the way in, so a pasted trailing space or line
		// break in the configured value would refuse every request: compare without them.
		const value = (header.value ?? '').trim();
		if (!name || !value) throw new TriggerConfigError('Required Header needs both a name and a value');
		if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new TriggerConfigError('Required Header: the name is not a valid HTTP header name');
		security.requiredHeader = { name, value };
	}
	if (context.getNodeParameter('authentication', 'none') === 'basicAuth') {
		const data = await credential(context, 'httpBasicAuth', 'Authentication is Basic Auth but no Basic Auth credential is selected');
		const user = typeof data.user === 'string' ? data.user : '';
		const password = typeof data.password === 'string' ? data.password : '';
		if (!user || !password) throw new TriggerConfigError('The Basic Auth credential needs both a user and a password');
		security.basicAuth = { user, password };
	}
	return security;
}

function eventsOf(selected: unknown): TriggerSettings['events'] {
	const list = Array.isArray(selected) ? selected.map(String) : [];
	// Nothing selected would acknowledge and silently drop every notification: treat it as all.
	if (!list.length || list.includes(ALL_EVENTS)) return 'all';
	return new Set(list);
}

export async function loadSettings(context: IWebhookFunctions): Promise<TriggerSettings> {
	const options = context.getNodeParameter('options', {}) as TriggerOptions;
	const { buyerIdentifier, apiVersion } = await identityOf(context);
	const window = Number(options.repeatWindowMinutes ?? DEFAULT_REPEAT_WINDOW_MINUTES);
	return {
		buyerIdentifier,
		apiVersion,
		events: eventsOf(context.getNodeParameter('events', [ALL_EVENTS])),
		security: await securityOf(context, options),
		includeRawXml: options.includeRawXml === true,
		refusalHttpStatus: options.refusalHttpStatus === 'always200' ? 'always200' : 'matching',
		repeatWindowMinutes: Number.isFinite(window) && window > 0 ? window : 0,
	};
}
