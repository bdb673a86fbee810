/**
 * When a failed call may be sent again. The rule is "only where a repeat cannot create a second
 * ticket": if the request never reached CityFibre (connection refused, or cut before the request
 * was written) any operation may be repeated; if it may have arrived (a 5xx, a cut after writing)
 * or after any timeout (the rule names timeouts, wherever they strike) only the read-like
 * operations are. A 4xx is an answer, never retried; so are TLS refusals, which a repeat cannot
 * fix. Pure: the transport supplies the facts.
 */
import { OPERATIONS } from '../catalogue';
import type { OperationName } from '../catalogue';

export type AttemptFailure =
	/** No connection: refused, unreachable, cut before TLS was up or before the request was written (never a timeout). */
	| { type: 'notSent'; code?: string }
	/** No answer came: cut after the request was written, or a timeout, wherever it struck. */
	| { type: 'noAnswer'; timedOut: boolean }
	/** CityFibre answered with this HTTP status. */
	| { type: 'status'; status: number }
	/** Any failure a repeat cannot fix (TLS refusal, bad material, proxy refusal, malformed answer, cancelled). */
	| { type: 'final' };

export interface RetryPolicy {
	/** Total attempts, the first included. */
	attempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 5_000 };

/** DNS says the name does not exist: repeating will not make it exist. */
const PERMANENT_NOT_SENT = new Set(['ENOTFOUND']);

/** Whether this failure of `operation` may be sent again (ignoring the attempt count). */
export function isRetryable(operation: OperationName, failure: AttemptFailure): boolean {
	const readOnly = OPERATIONS[operation].readOnly;
	switch (failure.type) {
		case 'notSent':
			return !PERMANENT_NOT_SENT.has(failure.code ?? '');
		case 'noAnswer':
			return readOnly;
		case 'status':
			return failure.status >= 500 && failure.status <= 599 && readOnly;
		case 'final':
			return false;
	}
}

/** Whether to try again after `attempt` (1-based) failed this way. */
export function shouldRetry(operation: OperationName, failure: AttemptFailure, attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): boolean {
	return attempt < policy.attempts && isRetryable(operation, failure);
}

/**
 * Exponential back-off with "equal jitter": half the step is fixed, half random, so repeats from
 * many workflows spread out but never come back immediately. `random` is injectable for tests.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random: () => number = Math.random): number {
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(step / 2 + random() * (step / 2));
}
