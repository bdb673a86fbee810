/**
 * What every operation shares, in the order the data flows: the editor description (fields from
 * the catalogue, then the common options), and one item's journey — parameters to catalogue
 * values, Extra Fields, generated references, the call through the transport, the output.
 */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { buyerFaultReference } from '../catalogue';
import type { WritableObject } from '../codec';
import type { CityFibreCredentials, CityFibreResult } from '../transport';
import { callCityFibre } from '../transport';
import type { OperationUi } from './catalogueFields';
import { additionalFieldsProperties, collectValues, labelOf, mainProperties, overrideOptions, setPath } from './catalogueFields';
import { ParameterError, toNodeError } from './errors';
import { applyExtraFields, extraFieldsOption } from './extraFields';
import type { OutputFormat } from './output';
import { outputOf } from './output';
import type { StableIds } from './stableIds';

/** What the router prepares once per execution and every item uses. */
export interface ItemContext {
	credentials: CityFibreCredentials;
	ids: StableIds;
	signal?: AbortSignal;
	/** Message IDs set under Options in this run, with the item that used each first. */
	messageIds: Map<string, number>;
}

export interface OperationModule {
	/** How the operation presents its catalogue operation (see catalogueFields). */
	ui: OperationUi;
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number, context: ItemContext): Promise<IDataObject>;
}

/** Scopes fields to one resource and operation, keeping any condition a field already has. */
export function updateDisplayOptions(displayOptions: IDisplayOptions, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, ...displayOptions.show },
			...(displayOptions.hide || property.displayOptions?.hide ? { hide: { ...property.displayOptions?.hide, ...displayOptions.hide } } : {}),
		},
	}));
}

const outputOptions: INodeProperties[] = [
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'simplified',
		options: [
			{
				name: 'Simplified',
				value: 'simplified',
				description: 'A flat object: status, references, response code, messages, message ID',
			},
			{
				name: 'Full Response',
				value: 'full',
				description: "Everything CityFibre answered, as parsed JSON, with the values that were sent",
			},
		],
		description: 'How much of the answer to return',
	},
	{
		displayName: 'Include Request and Response XML',
		name: 'includeXml',
		type: 'boolean',
		default: false,
		description: 'Whether to add the SOAP XML that was sent and received (for support cases; it never holds credentials)',
	},
	extraFieldsOption,
];

function byDisplayName(a: INodeProperties, b: INodeProperties): number {
	return a.displayName.localeCompare(b.displayName);
}

/** The whole description of one operation: its fields from the catalogue, then Additional Fields and Options. */
export function describeOperation(
	ui: OperationUi,
	show: { resource: string; operation: string },
	extra: { options?: INodeProperties[] } = {},
): INodeProperties[] {
	const options: INodeProperties = {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...overrideOptions(ui), ...outputOptions, ...(extra.options ?? [])].sort(byDisplayName),
	};
	return updateDisplayOptions({ show: { resource: [show.resource], operation: [show.operation] } }, [
		...mainProperties(ui),
		...additionalFieldsProperties(ui),
		options,
	]);
}

function isEmptyAt(values: WritableObject, path: string): boolean {
	let current: unknown = values;
	for (const part of path.split('.')) {
		if (typeof current !== 'object' || current === null) return true;
		current = (current as WritableObject)[part];
	}
	return current === undefined || current === null || current === '';
}

function lastStep(path: string): string {
	return path.split('.').pop() as string;
}

/**
 * A message ID matches a request with its answer, so two items of one run must not share one: a
 * fixed text under Options › Message ID would otherwise go out with every item of the batch.
 */
function claimMessageId(context: ItemContext, messageId: string, itemIndex: number): void {
	const first = context.messageIds.get(messageId);
	if (first !== undefined && first !== itemIndex) {
		throw new ParameterError(
			'Options › Message ID',
			`"${messageId}" is already the message ID of item ${first}: each message needs its own (leave it empty and the node generates one per item)`,
		);
	}
	context.messageIds.set(messageId, itemIndex);
}

export interface SendHooks {
	/** Adds operation-specific keys to a successful output (e.g. the triage summary). */
	shape?: (json: IDataObject, result: CityFibreResult, options: IDataObject) => void;
}

/** One item: collect, complete, send, shape. Every failure leaves as an n8n error naming the item. */
export async function sendOperation(
	this: IExecuteFunctions,
	itemIndex: number,
	ui: OperationUi,
	context: ItemContext,
	hooks: SendHooks = {},
): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const includeXml = options.includeXml === true;
	const errorContext = { labelOf: (path: string) => labelOf(ui, path), includeXml, buyerFaultReference: undefined as string | undefined, messageId: undefined as string | undefined };
	try {
		const { values, messageId, correlationId } = collectValues(this, itemIndex, ui);
		applyExtraFields(values, options.extraFields);
		const generated: IDataObject = {};
		for (const path of ui.generate ?? []) {
			const empty = isEmptyAt(values, path);
			if (empty) setPath(values, path, context.ids.reference(itemIndex, path));
			generated[`${lastStep(path)}Generated`] = empty;
		}
		if (messageId !== undefined) claimMessageId(context, messageId, itemIndex);
		errorContext.messageId = messageId ?? context.ids.messageId(itemIndex);
		const reference = values[buyerFaultReference.name];
		if (typeof reference === 'string') errorContext.buyerFaultReference = reference;

		const result = await callCityFibre(context.credentials, ui.operation, values, {
			messageId: errorContext.messageId,
			correlationId,
			signal: context.signal,
		});
		const format: OutputFormat = options.output === 'full' ? 'full' : 'simplified';
		const json = outputOf(result, format, includeXml);
		Object.assign(json, generated);
		hooks.shape?.(json, result, options);
		return json;
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex, errorContext);
	}
}
