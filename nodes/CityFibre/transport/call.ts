/**
 * `callCityFibre`: one catalogue operation from values to a typed result, in the order the data
 * flows — fill the automatic header, validate, write the SOAP envelope, POST it on the
 * credential's pooled mutual-TLS agent (repeating only where the retry rule allows, with the
 * same messageId), read the answer, classify it.
 */
import type { OperationName } from '../catalogue';
import { DEFAULT_API_VERSION, OPERATIONS, isOperationName } from '../catalogue';
import type { WritableObject } from '../codec';
import { DEFAULT_LIMITS, MessageValidationError, assertValid, fillAutoValues, messageIdOf, writeMessage } from '../codec';
import { agentFor } from './agents';
import type { CityFibreResult } from './classify';
import { classifyAnswer } from './classify';
import type { CityFibreCredentials } from './credentials';
import { BaseUrlError, DEFAULT_TIMEOUT_SECONDS, operationUrl, resolveBaseUrl } from './credentials';
import { CityFibreError, connectionError, translateConnectionError } from './errors';
import type { HttpAnswer } from './http';
import { AttemptError, exchange } from './http';
import { OUTCOME_HINTS } from './outcomes';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY_POLICY, backoffDelay, shouldRetry } from './retry';
import { TlsMaterialError } from './tlsMaterial';

export interface CallOptions {
	messageId?: string;
	correlationId?: string;
	/** The `sentAt` of the message (defaults to now). */
	now?: Date;
	signal?: AbortSignal;
	/** Overrides of the retry policy (attempts, back-off). */
	retry?: Partial<RetryPolicy>;
}

/** Answers are read with the codec's limits; a little slack lets the codec name the limit itself. */
const MAX_ANSWER_BYTES = DEFAULT_LIMITS.maxBytes * 2;

function wait(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(done, ms);
		function done() {
			signal?.removeEventListener('abort', abort);
			resolve();
		}
		function abort() {
			clearTimeout(timer);
			reject(Object.assign(new Error('The call was cancelled'), { name: 'AbortError' }));
		}
		signal?.addEventListener('abort', abort, { once: true });
	});
}

function validationError(operation: string, message: string, issues: Array<{ path: string; message: string }>, extra = {}): CityFibreError {
	return new CityFibreError('validation', message, { operation, issues, ...extra });
}

export async function callCityFibre(
	credentials: CityFibreCredentials,
	operation: OperationName,
	values: WritableObject,
	options: CallOptions = {},
): Promise<CityFibreResult> {
	if (!isOperationName(operation)) {
		throw validationError(String(operation), `Unknown CityFibre operation "${String(operation)}"`, [{ path: 'operation', message: 'not a CityFibre operation' }]);
	}
	if (!credentials.buyerIdentifier) {
		throw validationError(operation, 'The credential has no buyer identifier', [
			{ path: 'credential.buyerIdentifier', message: 'enter the buyer identifier CityFibre assigned you' },
		]);
	}
	const definition = OPERATIONS[operation];
	const request = fillAutoValues(definition.request, values, {
		buyerIdentifier: credentials.buyerIdentifier,
		apiVersion: credentials.apiVersion || DEFAULT_API_VERSION,
		messageId: options.messageId,
		correlationId: options.correlationId,
		now: options.now,
	});
	const messageId = messageIdOf(request) ?? '';
	try {
		assertValid(definition.request, request);
	} catch (error) {
		if (!(error instanceof MessageValidationError)) throw error;
		throw validationError(operation, error.message, [...error.issues], { messageId });
	}
	const requestXml = writeMessage(definition.request, request);

	let url: URL;
	try {
		url = operationUrl(resolveBaseUrl(credentials), operation);
	} catch (error) {
		if (!(error instanceof BaseUrlError)) throw error;
		throw validationError(operation, error.message, [{ path: 'credential.baseUrl', message: error.message }], {
			messageId,
			outcome: 'badUrl',
			hint: OUTCOME_HINTS.badUrl,
		});
	}
	const context = { operation, messageId, requestXml, url: url.href };

	let pooled;
	try {
		pooled = agentFor(credentials, url);
	} catch (error) {
		if (!(error instanceof TlsMaterialError)) throw error;
		throw connectionError(translateConnectionError(error, url.host), { ...context, attempts: 0 });
	}

	const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
	const timeoutMs = (credentials.timeoutSeconds || DEFAULT_TIMEOUT_SECONDS) * 1000;
	for (let attempt = 1; ; attempt++) {
		let answer: HttpAnswer;
		try {
			answer = await exchange({
				agent: pooled.agent,
				url,
				method: 'POST',
				headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${operation}"`, accept: 'text/xml, application/xml, application/soap+xml' },
				body: requestXml,
				timeoutMs,
				maxBytes: MAX_ANSWER_BYTES,
				signal: options.signal,
			});
		} catch (error) {
			if (!(error instanceof AttemptError)) throw error;
			if (shouldRetry(operation, error.failure, attempt, policy)) {
				await pause(attempt, policy, options.signal, context);
				continue;
			}
			throw connectionError(translateConnectionError(error.cause, url.host, error.established), { ...context, attempts: attempt });
		}
		if (shouldRetry(operation, { type: 'status', status: answer.status }, attempt, policy)) {
			await pause(attempt, policy, options.signal, context);
			continue;
		}
		return classifyAnswer(answer, { ...context, operation, request, attempts: attempt });
	}
}

async function pause(attempt: number, policy: RetryPolicy, signal: AbortSignal | undefined, context: Record<string, unknown>): Promise<void> {
	try {
		await wait(backoffDelay(attempt, policy), signal);
	} catch (error) {
		throw connectionError(translateConnectionError(error, ''), { ...context, attempts: attempt });
	}
}
