/**
 * One place that turns whatever went wrong with an item into n8n's errors: a parameter problem
 * becomes a NodeOperationError naming the field as the editor labels it and as the catalogue
 * paths it; a CityFibre rejection or fault, or a TLS or network failure, becomes a NodeApiError
 * carrying CityFibre's code and message. The details travel in the error's context, so an item
 * sent to the error output carries them as JSON. None of it ever holds credential material.
 */
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ValidationIssue } from '../codec';
import { MessageValidationError } from '../codec';
import { CityFibreError } from '../transport';
import type { CityFibreErrorKind } from '../transport';

/** A parameter the node itself could not use (Extra Fields JSON, …), named by its editor label. */
export class ParameterError extends Error {
	readonly name = 'ParameterError';

	constructor(
		readonly label: string,
		readonly problem: string,
	) {
		super(`${label}: ${problem}`);
	}
}

export interface ErrorContext {
	/** The editor label of a message path, when the operation offers that path. */
	labelOf: (path: string) => string | undefined;
	/** The user asked for the exchanged XML in the output. */
	includeXml: boolean;
	/** Known before sending: worth having on a failed item (a generated reference above all). */
	buyerFaultReference?: string;
	messageId?: string;
}

const CREDENTIAL_LABELS: Readonly<Record<string, string>> = {
	'credential.baseUrl': 'Credential › Base URL',
	'credential.buyerIdentifier': 'Credential › Buyer Identifier',
};

/** What each kind of failure means, for messages that do not already say who spoke. */
const KIND_PREFIX: Readonly<Partial<Record<CityFibreErrorKind, string>>> = {
	rejected: 'CityFibre rejected the request',
	business: 'CityFibre refused the request',
	fault: 'CityFibre returned a fault',
};

function labelFor(path: string, context: ErrorContext): string {
	return CREDENTIAL_LABELS[path] ?? context.labelOf(path) ?? path;
}

function compact(object: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined && v !== ''));
}

interface ValidationFailure {
	message: string;
	issues?: readonly ValidationIssue[];
	hint?: string;
	operation?: string;
	messageId?: string;
}

function validationError(node: INode, error: ValidationFailure, itemIndex: number, context: ErrorContext): NodeOperationError {
	const issues = (error.issues ?? []).map((issue) => ({ field: labelFor(issue.path, context), path: issue.path, message: issue.message }));
	const lines = issues.map((i) => (i.field === i.path ? `${i.path}: ${i.message}` : `${i.field} (${i.path}): ${i.message}`));
	const [first = error.message] = lines;
	const more = lines.length > 1 ? ` (and ${lines.length - 1} more problem${lines.length > 2 ? 's' : ''})` : '';
	const description = [lines.length > 1 ? lines.join('\n') : undefined, error.hint].filter(Boolean).join('\n\n');
	const nodeError = new NodeOperationError(node, `Invalid parameter: ${first}${more}`, {
		itemIndex,
		description: description || undefined,
	});
	Object.assign(
		nodeError.context,
		compact({ errorKind: 'validation', operation: error.operation, messageId: error.messageId ?? context.messageId, buyerFaultReference: context.buyerFaultReference, issues }),
	);
	return nodeError;
}

function apiError(node: INode, error: CityFibreError, itemIndex: number, context: ErrorContext): NodeApiError {
	const prefix = KIND_PREFIX[error.kind];
	const said = prefix && !error.message.startsWith('CityFibre') ? `${prefix}: ${error.message}` : error.message;
	// For TLS and network kinds the code is the transport's outcome name: in the context, not the sentence.
	const cityFibreSpoke = ['rejected', 'business', 'fault', 'http'].includes(error.kind);
	const message = cityFibreSpoke && error.code && !said.includes(error.code) ? `${said} (code ${error.code})` : said;
	const answered = error.httpStatus !== undefined && (error.httpStatus < 200 || error.httpStatus > 299);
	const description = [
		error.operation ? `Operation: ${error.operation}` : undefined,
		error.messageId ? `Message ID: ${error.messageId}` : undefined,
		error.httpStatus !== undefined ? `HTTP status: ${error.httpStatus}` : undefined,
		error.detail ? `Detail: ${error.detail}` : undefined,
		error.hint,
	]
		.filter(Boolean)
		.join('\n');
	// The response object deliberately has no `code`/`status` keys: n8n would read them as an HTTP status.
	const response: JsonObject = compact({
		errorKind: error.kind,
		cityFibreCode: error.code,
		cityFibreMessage: error.message,
		detail: error.detail,
		operation: error.operation,
		messageId: error.messageId,
	}) as JsonObject;
	const nodeError = new NodeApiError(node, response, {
		message,
		description,
		itemIndex,
		...(answered ? { httpCode: String(error.httpStatus) } : {}),
	});
	Object.assign(
		nodeError.context,
		compact({
			errorKind: error.kind,
			errorCode: error.code,
			httpStatus: error.httpStatus,
			operation: error.operation,
			messageId: error.messageId ?? context.messageId,
			buyerFaultReference: context.buyerFaultReference,
			attempts: error.attempts,
			...(context.includeXml ? { requestXml: error.requestXml, responseXml: error.responseXml } : {}),
		}),
	);
	return nodeError;
}

/** Any failure of one item as the n8n error to throw, or to put on the item under Continue On Fail. */
export function toNodeError(node: INode, error: unknown, itemIndex: number, context: ErrorContext): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof CityFibreError) {
		return error.kind === 'validation' ? validationError(node, error, itemIndex, context) : apiError(node, error, itemIndex, context);
	}
	// The writer's own refusals (an Extra Fields key that cannot be an element name) name their path too.
	if (error instanceof MessageValidationError) {
		return validationError(node, { message: error.message, issues: error.issues, operation: error.messageName }, itemIndex, context);
	}
	if (error instanceof ParameterError) {
		const nodeError = new NodeOperationError(node, `Invalid parameter: ${error.message}`, { itemIndex });
		Object.assign(nodeError.context, { errorKind: 'validation', issues: [{ field: error.label, message: error.problem }] });
		return nodeError;
	}
	return new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });
}

/**
 * The JSON of an item that failed under Continue On Fail: `{ error: { message, … } }`. n8n sends
 * an item to the error output only when `error` is its one key (an item-level `error` would do
 * it too, but n8n then replaces the JSON with the bare message), so the details live inside.
 */
export function errorJson(error: NodeApiError | NodeOperationError): IDataObject {
	const { itemIndex: _itemIndex, runIndex: _runIndex, metadata: _metadata, ...details } = error.context;
	return {
		error: compact({
			message: error.message,
			description: error.description ?? undefined,
			httpCode: error instanceof NodeApiError ? (error.httpCode ?? undefined) : undefined,
			...details,
		}),
	};
}
