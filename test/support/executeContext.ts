/**
 * n8n's execute-function context, mocked for the action node: parameters are resolved the way
 * n8n resolves them (n8n-workflow's own `getNodeParameters` fills defaults and drops what the
 * node's displayOptions hide, so a field the editor would not show is not seen either), a
 * function in the parameters plays an expression (called per item with the item's JSON; a field
 * shown only for some value of it stays, as n8n keeps it for any expression), and
 * the credential gets its defaults as n8n's credentials helper applies them. Everything the
 * node does beyond the context — TLS, HTTP, XML — is real.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { CityFibreTicketingApi } from '../../credentials/CityFibreTicketingApi.credentials';
import { CityFibreTicketing } from '../../nodes/CityFibre/CityFibreTicketing.node';
import { sandboxCredentials as transportCredentials } from './badCerts';

/** An "expression": evaluated for each item, like `={{ $json.x }}`. */
export type Expression = (json: IDataObject, itemIndex: number) => unknown;

export interface ExecuteContextOptions {
	parameters: Record<string, unknown>;
	/** Input items (plain JSON is wrapped); one empty item by default. */
	items?: IDataObject[];
	credentials?: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	/** The same ID makes a repeat of the same execution (Retry On Fail); null: a context that cannot tell (IDs are then random). */
	executionId?: string | null;
	workflowId?: string;
	runIndex?: number;
	timezone?: string;
	nodeName?: string;
	nodeType?: INodeType;
	signal?: AbortSignal;
}

export const CREDENTIAL_ID = 'credential-under-test';

/** The credential's stored data with its defaults filled and hidden fields dropped, as n8n's helper does. */
export function applyCredentialDefaults(data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	const properties = new CityFibreTicketingApi().properties;
	return (NodeHelpers.getNodeParameters(properties, data as INodeParameters, true, false, null, null) ?? {}) as ICredentialDataDecryptedObject;
}

function resolve(value: unknown, json: IDataObject, itemIndex: number): unknown {
	if (typeof value === 'function') return (value as Expression)(json, itemIndex);
	if (Array.isArray(value)) return value.map((v) => resolve(v, json, itemIndex));
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, json, itemIndex)]));
	}
	return value;
}

const EXPRESSION_MARK = /^=\{\{ expression (\d+) \}\}$/;

/** Each function becomes an expression text (`={{ expression 0 }}`), as n8n stores a mapped value. */
function markExpressions(value: unknown, expressions: Expression[]): unknown {
	if (typeof value === 'function') return `={{ expression ${expressions.push(value as Expression) - 1} }}`;
	if (Array.isArray(value)) return value.map((v) => markExpressions(v, expressions));
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markExpressions(v, expressions)]));
	return value;
}

/** The functions back in place of their expression texts. */
function unmarkExpressions(value: unknown, expressions: Expression[]): unknown {
	if (typeof value === 'string') {
		const mark = EXPRESSION_MARK.exec(value);
		return mark ? expressions[Number(mark[1])] : value;
	}
	if (Array.isArray(value)) return value.map((v) => unmarkExpressions(v, expressions));
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unmarkExpressions(v, expressions)]));
	return value;
}

function valueAt(object: unknown, path: string): unknown {
	let current = object;
	for (const part of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

let executions = 0;

/** Each context is a new execution unless `executionId` says otherwise, as in n8n. */
export function executeContext(options: ExecuteContextOptions): IExecuteFunctions {
	const executionId = `execution-${process.pid}-${++executions}`;
	const nodeType = options.nodeType ?? new CityFibreTicketing();
	const { description } = nodeType;
	const items: INodeExecutionData[] = (options.items ?? [{}]).map((json) => ({ json }));
	const node: INode = {
		id: 'node-under-test',
		name: options.nodeName ?? 'CityFibre Ticketing',
		type: `n8n-nodes-cityfibre.${description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters as INodeParameters,
		credentials: { cityFibreTicketingApi: { id: CREDENTIAL_ID, name: 'CityFibre (test)' } },
	};
	// As in n8n, what the editor shows is decided before expressions are evaluated: a field whose
	// condition is an expression stays (n8n cannot know the value), whatever each item makes of it.
	const expressions: Expression[] = [];
	const marked = markExpressions(options.parameters, expressions) as INodeParameters;
	const shown = NodeHelpers.getNodeParameters(description.properties, marked, true, false, node, description) ?? {};
	const parametersOf = (itemIndex: number): INodeParameters =>
		resolve(unmarkExpressions(shown, expressions), items[itemIndex]?.json ?? {}, itemIndex) as INodeParameters;

	const context = {
		getInputData: () => items,
		getNode: () => node,
		getNodeParameter(name: string, itemIndex: number, fallback?: unknown) {
			const value = valueAt(parametersOf(itemIndex), name);
			if (value !== undefined) return structuredClone(value);
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		async getCredentials(type: string) {
			if (type !== 'cityFibreTicketingApi' || !options.credentials) throw new Error(`Node does not have any credentials set for "${type}"`);
			return applyCredentialDefaults(options.credentials);
		},
		continueOnFail: () => options.continueOnFail ?? false,
		getExecutionId: () => (options.executionId === null ? undefined : (options.executionId ?? executionId)),
		getWorkflow: () => ({ id: options.workflowId ?? 'workflow-1', name: 'Test workflow', active: false }),
		getWorkflowDataProxy: () => ({ $runIndex: options.runIndex ?? 0 }),
		getTimezone: () => options.timezone ?? 'UTC',
		getExecutionCancelSignal: () => options.signal,
		helpers: {},
	};
	return context as unknown as IExecuteFunctions;
}

/** Runs the node's `execute` and returns its one output. */
export async function executeNode(options: ExecuteContextOptions): Promise<INodeExecutionData[]> {
	const nodeType = options.nodeType ?? new CityFibreTicketing();
	const output = await nodeType.execute!.call(executeContext({ ...options, nodeType }));
	return (output as INodeExecutionData[][])[0];
}

const SAMPLE_BY_PLACEHOLDER: Readonly<Record<string, string>> = { 'YYYY-MM-DD': '2025-06-03', 'HH:MM': '08:00' };

/** A sample value for one editor field, by its type (and placeholder, for dates and times kept as text). */
function sampleOf(property: INodeProperties): unknown {
	switch (property.type) {
		case 'options':
			return (property.options as Array<{ value: unknown }>)[0].value;
		case 'boolean':
			return true;
		case 'number':
			return 1;
		case 'dateTime':
			return '2025-06-02T08:40:00Z';
		case 'collection':
			return Object.fromEntries((property.options as INodeProperties[]).map((o) => [o.name, sampleOf(o)]));
		case 'fixedCollection': {
			const [entry] = property.options as Array<{ name: string; values: INodeProperties[] }>;
			const values = Object.fromEntries(entry.values.map((o) => [o.name, sampleOf(o)]));
			return { [entry.name]: property.typeOptions?.multipleValues ? [values] : values };
		}
		default:
			return SAMPLE_BY_PLACEHOLDER[property.placeholder ?? ''] ?? `${property.name}-sample`;
	}
}

function shownFor(property: INodeProperties, resource: string, operation: string): boolean {
	const show = property.displayOptions?.show;
	return (show?.resource as string[] | undefined)?.includes(resource) === true && (show?.operation as string[] | undefined)?.includes(operation) === true;
}

/** The editor fields of one operation (main panel, Additional Fields, Options). */
export function operationProperties(resource: string, operation: string): INodeProperties[] {
	return new CityFibreTicketing().description.properties.filter((p) => shownFor(p, resource, operation));
}

/**
 * Parameters that fill every field an operation offers (Additional Fields included, Options
 * left alone), with `overrides` on top — the widest message a user can build in the editor.
 */
export function everyFieldParameters(resource: string, operation: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
	const parameters: Record<string, unknown> = { resource, operation };
	for (const property of operationProperties(resource, operation)) {
		if (property.name !== 'options' && property.name !== 'operation') parameters[property.name] = sampleOf(property);
	}
	return { ...parameters, ...overrides };
}

/**
 * The credential as a user stores it for the local sandbox: the Buyer certificate the sandbox
 * generated, its key encrypted with a passphrase, and the sandbox's CA to trust.
 */
export function sandboxCredentials(
	sandbox: { baseUrl: string; certs: { ca: { cert: string }; buyer: { cert: string; encryptedKey: string; passphrase: string } } },
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	const { buyer } = sandbox.certs;
	const pem = transportCredentials({ ...sandbox, certs: { ...sandbox.certs, buyer: { cert: buyer.cert, key: buyer.encryptedKey } } });
	return { ...pem, passphrase: buyer.passphrase, ...overrides } as ICredentialDataDecryptedObject;
}

/** The parameters of a valid Raise (an Impaired Service on SERVICE-0001), with `overrides` on top. */
export function raiseParameters(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		resource: 'faultReport',
		operation: 'raise',
		reportDateTime: '2025-06-02T08:40:00Z',
		reporterContactDetails: { name: 'Alex Reporter', phone: '01632960001', email: 'noc@isp.example' },
		endUserContactDetails: { name: 'Sam Customer', phone: '07700900123' },
		serviceAffected: 'SERVICE-0001',
		description: 'No connectivity since 07:30; ONT PON light off',
		type: 'Impaired Service',
		...overrides,
	};
}

/** The error a promise rejects with, when it is of `type` (anything else fails the test). */
export async function failure<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof type) return error;
		throw error;
	}
	throw new Error('the node did not fail');
}
