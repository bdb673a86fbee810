/**
 * Fault injection for tests of the Buyer side's retry rules: the next N calls are answered with an
 * HTTP error, answered late, or cut off at a chosen point. Each point is a different fact for the
 * retry rule:
 * - `drop` at `handshake`: the next new connection is closed right after the TLS handshake, before
 *   any request byte is read — "the request never reached CityFibre";
 * - `drop` at `beforeRead`: cut as soon as the request's headers arrive; the body is not read and
 *   nothing is processed;
 * - `drop` at `afterRead`: the request is read and processed (a ticket may now exist), then the
 *   connection is cut without an answer — "it may have reached CityFibre";
 * - `delay`: the request is processed and the answer sent `ms` later (a client timing out first
 *   sees a timeout while the call took effect);
 * - `status`: answered at once with this HTTP status (default 500) and a CityFibre `fault`,
 *   without processing the request.
 */
import type { OperationName } from '../nodes/CityFibre/catalogue';
import { OPERATIONS, isOperationName } from '../nodes/CityFibre/catalogue';

export type FaultSpec =
	| { kind: 'status'; status?: number; count?: number; operation?: OperationName }
	| { kind: 'delay'; ms: number; count?: number; operation?: OperationName }
	| { kind: 'drop'; at: 'handshake' | 'beforeRead' | 'afterRead'; count?: number; operation?: OperationName };

export interface ArmedFault {
	id: number;
	spec: FaultSpec;
	/** Calls (or, for `handshake`, connections) it still applies to. */
	remaining: number;
	/** How many times it has been applied. */
	applied: number;
}

export class FaultInjector {
	private readonly armed: ArmedFault[] = [];
	private nextId = 1;

	arm(spec: FaultSpec): ArmedFault {
		const count = spec.count ?? 1;
		if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a whole number of at least 1, got ${spec.count}`);
		if (spec.kind === 'delay' && !(spec.ms >= 0)) throw new RangeError(`delay needs ms >= 0, got ${spec.ms}`);
		if (spec.kind === 'status' && spec.status !== undefined && !(spec.status >= 400 && spec.status <= 599)) {
			throw new RangeError(`status must be an HTTP error status (400-599), got ${spec.status}`);
		}
		if (spec.kind === 'drop' && !['handshake', 'beforeRead', 'afterRead'].includes(spec.at)) {
			throw new RangeError(`drop needs at: handshake, beforeRead or afterRead, got ${String(spec.at)}`);
		}
		if (spec.operation !== undefined && !isOperationName(spec.operation)) {
			throw new RangeError(`operation "${String(spec.operation)}" is not a Buyer operation: use one of ${Object.keys(OPERATIONS).join(', ')}`);
		}
		if (spec.kind === 'drop' && spec.at === 'handshake' && spec.operation) {
			throw new RangeError('a drop at the handshake happens before the operation is known: leave out operation');
		}
		const fault: ArmedFault = { id: this.nextId++, spec: { ...spec, count }, remaining: count, applied: 0 };
		this.armed.push(fault);
		return fault;
	}

	/** Whether the next new connection is to be cut after the handshake (and counts it if so). */
	takeHandshakeDrop(): ArmedFault | undefined {
		return this.take((s) => s.kind === 'drop' && s.at === 'handshake');
	}

	/** The fault that applies to this call, if any (and counts it). */
	takeForCall(operation: string | undefined): ArmedFault | undefined {
		return this.take((s) => !(s.kind === 'drop' && s.at === 'handshake') && (!s.operation || s.operation === operation));
	}

	list(): ArmedFault[] {
		return this.armed.map((f) => ({ ...f, spec: { ...f.spec } }));
	}

	clear(): number {
		const n = this.armed.length;
		this.armed.length = 0;
		return n;
	}

	private take(matches: (spec: FaultSpec) => boolean): ArmedFault | undefined {
		const index = this.armed.findIndex((f) => matches(f.spec));
		if (index < 0) return undefined;
		const fault = this.armed[index];
		fault.remaining--;
		fault.applied++;
		if (fault.remaining <= 0) this.armed.splice(index, 1);
		return { ...fault, spec: { ...fault.spec } };
	}
}
