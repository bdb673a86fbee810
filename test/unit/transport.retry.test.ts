import type { OperationName } from '../../nodes/CityFibre/catalogue';
import { OPERATIONS, OPERATION_NAMES } from '../../nodes/CityFibre/catalogue';
import type { AttemptFailure } from '../../nodes/CityFibre/transport/retry';
import { DEFAULT_RETRY_POLICY, backoffDelay, isRetryable, shouldRetry } from '../../nodes/CityFibre/transport/retry';

const readOnly = OPERATION_NAMES.filter((op) => OPERATIONS[op].readOnly);
const writing = OPERATION_NAMES.filter((op) => !OPERATIONS[op].readOnly);

describe('isRetryable', () => {
	it('knows which operations are read-like from the catalogue', () => {
		expect(readOnly.sort()).toEqual(['queryAppointmentAvailability', 'requestFaultReportUpdate', 'requestServiceDiagnostics']);
	});

	it.each(OPERATION_NAMES)('repeats %s when the connection was refused', (op) => {
		expect(isRetryable(op, { type: 'notSent', code: 'ECONNREFUSED' })).toBe(true);
	});

	it.each(OPERATION_NAMES)('repeats %s when the connection was reset before the request was written', (op) => {
		expect(isRetryable(op, { type: 'notSent', code: 'ECONNRESET' })).toBe(true);
	});

	it('does not repeat when the host name does not exist', () => {
		expect(isRetryable('requestFaultReportUpdate', { type: 'notSent', code: 'ENOTFOUND' })).toBe(false);
	});

	it.each(readOnly)('repeats the read-like %s after a timeout, a cut after writing, or a 5xx', (op) => {
		expect(isRetryable(op, { type: 'noAnswer', timedOut: true })).toBe(true);
		expect(isRetryable(op, { type: 'noAnswer', timedOut: false })).toBe(true);
		expect(isRetryable(op, { type: 'status', status: 500 })).toBe(true);
		expect(isRetryable(op, { type: 'status', status: 503 })).toBe(true);
	});

	it.each(writing)('never repeats %s once it may have reached CityFibre (timeout, cut after writing, 5xx)', (op) => {
		expect(isRetryable(op, { type: 'noAnswer', timedOut: true })).toBe(false);
		expect(isRetryable(op, { type: 'noAnswer', timedOut: false })).toBe(false);
		expect(isRetryable(op, { type: 'status', status: 500 })).toBe(false);
	});

	it.each(OPERATION_NAMES)('never repeats %s after a 4xx, a 2xx or a final failure', (op) => {
		for (const failure of [400, 401, 403, 404, 429, 200].map((status): AttemptFailure => ({ type: 'status', status }))) {
			expect(isRetryable(op, failure)).toBe(false);
		}
		expect(isRetryable(op, { type: 'final' })).toBe(false);
	});
});

describe('shouldRetry', () => {
	const op: OperationName = 'requestFaultReportUpdate';
	const failure: AttemptFailure = { type: 'status', status: 500 };

	it('stops after the policy\'s number of attempts', () => {
		expect(shouldRetry(op, failure, 1)).toBe(true);
		expect(shouldRetry(op, failure, DEFAULT_RETRY_POLICY.attempts - 1)).toBe(true);
		expect(shouldRetry(op, failure, DEFAULT_RETRY_POLICY.attempts)).toBe(false);
	});

	it('makes one attempt only when the policy says so', () => {
		expect(shouldRetry(op, failure, 1, { ...DEFAULT_RETRY_POLICY, attempts: 1 })).toBe(false);
	});
});

describe('backoffDelay', () => {
	const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

	it('doubles per attempt, half fixed and half random', () => {
		expect([1, 2, 3].map((a) => backoffDelay(a, policy, () => 0))).toEqual([50, 100, 200]);
		expect([1, 2, 3].map((a) => backoffDelay(a, policy, () => 1))).toEqual([100, 200, 400]);
	});

	it('never exceeds the maximum delay', () => {
		expect(backoffDelay(10, policy, () => 1)).toBe(1_000);
		expect(backoffDelay(10, policy, () => 0)).toBe(500);
	});
});
