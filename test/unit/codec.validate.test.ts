import type { Field, MessageDefinition } from '../../nodes/CityFibre/catalogue';
import {
	MESSAGES,
	addFaultReport,
	amendFaultReport,
	queryAppointmentAvailability,
	receivedNotifyFaultReportUpdate,
	requestFaultReportUpdate,
	reserveAppointment,
	resolveResponse,
} from '../../nodes/CityFibre/catalogue';
import type { WritableObject } from '../../nodes/CityFibre/codec';
import { MessageValidationError, assertValid, validationIssues } from '../../nodes/CityFibre/codec';
import { sampleValues } from '../support/sampleValues';

const requests = MESSAGES.filter((m) => m.role === 'request' || m.role === 'acknowledgement');

/** Every required field reachable through required groups, as dotted paths. */
function requiredPaths(fields: readonly Field[], path = ''): string[] {
	return fields
		.filter((f) => f.required)
		.flatMap((f) => {
			const at = path ? `${path}.${f.name}` : f.name;
			return f.kind === 'group' ? [at, ...requiredPaths(f.fields, at)] : [at];
		});
}

/** Where the issue shows: a group left with nothing in it is reported as the group itself. */
function reportedAt(definition: MessageDefinition, path: string): string {
	const parent = path.slice(0, path.lastIndexOf('.'));
	const group = parent && requiredPaths(definition.fields).includes(parent) ? findGroup(definition.fields, parent) : undefined;
	return group && group.length === 1 ? parent : path;
}

function findGroup(fields: readonly Field[], path: string): readonly Field[] | undefined {
	const [head, ...rest] = path.split('.');
	const field = fields.find((f) => f.name === head);
	if (field?.kind !== 'group') return undefined;
	return rest.length ? findGroup(field.fields, rest.join('.')) : field.fields;
}

function without(values: WritableObject, path: string): WritableObject {
	const copy = structuredClone(values);
	const parts = path.split('.');
	let parent = copy;
	for (const part of parts.slice(0, -1)) parent = parent[part] as WritableObject;
	delete parent[parts[parts.length - 1]];
	return copy;
}

function issuesWith(definition: MessageDefinition, change: (values: WritableObject) => void) {
	const values = sampleValues(definition);
	change(values);
	return validationIssues(definition, values);
}

function faultDetails(values: WritableObject): WritableObject {
	return values.faultDetails as WritableObject;
}

const requiredCases = requests.flatMap((definition) =>
	requiredPaths(definition.fields).map((path) => [definition.name, path, definition] as const),
);

describe('validationIssues: required fields', () => {
	it.each(requiredCases)('%s without %s names that field as required', (_, path, definition) => {
		const issues = validationIssues(definition, without(sampleValues(definition), path));

		expect(issues).toContainEqual({ path: reportedAt(definition, path), message: 'is required' });
	});

	it('reports a required group left with no values as the group (seller, whose only field is sellerIdentifier)', () => {
		expect(issuesWith(reserveAppointment, (v) => (v.seller = { sellerIdentifier: '' }))).toEqual([
			{ path: 'seller', message: 'is required' },
		]);
	});

	it('treats an empty string, null and an object of empty values as missing', () => {
		expect(
			issuesWith(amendFaultReport, (v) => {
				v.buyerFaultReference = '';
				v.messageId = null;
				v.faultDetails = { description: '', type: undefined };
			}),
		).toEqual([
			{ path: 'messageId', message: 'is required' },
			{ path: 'buyerFaultReference', message: 'is required' },
		]);
	});

	it('names the missing field inside a present group', () => {
		expect(issuesWith(reserveAppointment, (v) => delete (v.appointmentSlot as WritableObject).appointmentEndTime)).toEqual([
			{ path: 'appointmentSlot.appointmentEndTime', message: 'is required' },
		]);
	});

	it('does not ask for the children of an optional group that is absent', () => {
		expect(validationIssues(amendFaultReport, without(sampleValues(amendFaultReport), 'appointment'))).toEqual([]);
	});

	it('accepts an amendment holding only the header and the buyer reference', () => {
		const values = sampleValues(amendFaultReport);
		const minimal = Object.fromEntries(
			['apiVersion', 'buyerIdentifier', 'sentAt', 'messageId', 'buyerFaultReference'].map((k) => [k, values[k]]),
		);

		expect(validationIssues(amendFaultReport, minimal)).toEqual([]);
	});

	it('lets Extra Fields through unchecked', () => {
		expect(issuesWith(requestFaultReportUpdate, (v) => (v.customerTier = { level: 'gold' }))).toEqual([]);
	});
});

describe('validationIssues: enumerations and types', () => {
	it('names the fault type and lists the allowed values', () => {
		expect(issuesWith(addFaultReport, (v) => (faultDetails(v).type = 'Total Outage'))).toContainEqual({
			path: 'faultDetails.type',
			message: 'must be one of "Impaired Service", "Service Outage", "Performance Issue" (got "Total Outage")',
		});
	});

	it('matches enumerations exactly on what we send: "service outage" is not "Service Outage"', () => {
		expect(issuesWith(amendFaultReport, (v) => (faultDetails(v).type = 'service outage'))).toContainEqual(
			expect.objectContaining({ path: 'faultDetails.type' }),
		);
	});

	it('accepts only "true" or "false" for cfh:reappointment', () => {
		expect(issuesWith(queryAppointmentAvailability, (v) => (v.reappointment = 'yes'))).toEqual([
			{ path: 'reappointment', message: 'must be one of "true", "false" (got "yes")' },
		]);
	});

	it('accepts booleans as true/false and refuses other words', () => {
		expect(issuesWith(resolveResponse, (v) => (v.resolveAccepted = false))).toEqual([]);
		expect(issuesWith(resolveResponse, (v) => (v.resolveAccepted = 'true'))).toEqual([]);
		expect(issuesWith(resolveResponse, (v) => (v.resolveAccepted = 'yes'))).toEqual([
			{ path: 'resolveAccepted', message: 'must be true or false (got "yes")' },
		]);
	});

	it('wants a whole number in responseCode', () => {
		expect(issuesWith(receivedNotifyFaultReportUpdate, (v) => (v.responseCode = 'OK'))).toEqual([
			{ path: 'responseCode', message: 'must be a whole number (got "OK")' },
		]);
	});

	it('refuses a list or an object where a single value belongs', () => {
		expect(issuesWith(requestFaultReportUpdate, (v) => (v.buyerFaultReference = { id: 'X' }))).toEqual([
			{ path: 'buyerFaultReference', message: 'must be a single value, not a list or object' },
		]);
	});

	it('refuses a single value where a group belongs', () => {
		expect(issuesWith(addFaultReport, (v) => (v.reporterContactDetails = 'Joe, 01632 960001'))).toEqual([
			{ path: 'reporterContactDetails', message: 'must be an object with its own fields' },
		]);
	});

	it('refuses a character XML cannot carry, naming the field', () => {
		expect(issuesWith(addFaultReport, (v) => (faultDetails(v).description = 'line\u0000break'))).toEqual([
			{ path: 'faultDetails.description', message: 'contains a character XML cannot carry (U+0000 at position 5)' },
		]);
	});
});

describe('validationIssues: ISO 8601', () => {
	it.each([
		'2025-06-02T08:40:00Z',
		'2025-06-02T08:40Z',
		'2025-06-02T08:40:00.123Z',
		'2025-06-02T09:40:00+01:00',
		'2025-06-02T03:10:00-0530',
		'2024-02-29T23:59:59Z',
	])('accepts the date-time %s', (sentAt) => {
		expect(issuesWith(requestFaultReportUpdate, (v) => (v.sentAt = sentAt))).toEqual([]);
	});

	it.each([
		['without a time zone', '2025-06-02T08:40:00'],
		['with a space for T', '2025-06-02 08:40:00Z'],
		['as a date only', '2025-06-02'],
		['in UK day-first form', '02/06/2025 08:40'],
		['in month 13', '2025-13-02T08:40:00Z'],
		['on 30 February', '2025-02-30T08:40:00Z'],
		['on 29 February of a common year', '2025-02-29T08:40:00Z'],
		['at hour 24', '2025-06-02T24:00:00Z'],
		['at minute 60', '2025-06-02T08:60:00Z'],
		['at second 60', '2025-06-02T08:40:60Z'],
	])('refuses a date-time %s, naming the field', (_, sentAt) => {
		expect(issuesWith(requestFaultReportUpdate, (v) => (v.sentAt = sentAt))).toEqual([
			{ path: 'sentAt', message: `must be an ISO 8601 date-time with a time zone, e.g. 2025-06-02T08:40:00Z (got "${sentAt}")` },
		]);
	});

	it('checks date-times inside groups by their path', () => {
		expect(issuesWith(addFaultReport, (v) => (faultDetails(v).faultStartTime = 'yesterday'))).toEqual([
			{ path: 'faultDetails.faultStartTime', message: 'must be an ISO 8601 date-time with a time zone, e.g. 2025-06-02T08:40:00Z (got "yesterday")' },
		]);
	});

	it.each(['2025-06-03', '2028-02-29'])('accepts the date %s', (date) => {
		expect(issuesWith(queryAppointmentAvailability, (v) => (v.appointmentsFrom = date))).toEqual([]);
	});

	it.each(['03/06/2025', '2025-6-3', '2025-06-31', '2025-00-10', '2025-06-03T00:00:00Z'])('refuses the date %s', (date) => {
		expect(issuesWith(queryAppointmentAvailability, (v) => (v.appointmentsFrom = date))).toEqual([
			{ path: 'appointmentsFrom', message: `must be a date as YYYY-MM-DD (got "${date}")` },
		]);
	});

	it.each(['08:00', '13:00', '23:59:59'])('accepts the time %s', (time) => {
		expect(issuesWith(reserveAppointment, (v) => ((v.appointmentSlot as WritableObject).appointmentStartTime = time))).toEqual([]);
	});

	it.each(['8:00', '8am', '24:00', '12:60', '0800'])('refuses the time %s', (time) => {
		expect(issuesWith(reserveAppointment, (v) => ((v.appointmentSlot as WritableObject).appointmentStartTime = time))).toEqual([
			{ path: 'appointmentSlot.appointmentStartTime', message: `must be a time as HH:MM (got "${time}")` },
		]);
	});
});

describe('validationIssues: the Service Outage rule', () => {
	const needsKey = {
		path: 'appointment.appointmentReservationKey',
		message: 'A Service Outage fault needs an appointment reservation key (reserve an appointment first)',
	};
	const keyNotAllowed = {
		path: 'appointment.appointmentReservationKey',
		message: 'Only Service Outage faults may carry an appointment reservation key',
	};

	it('accepts a Service Outage with a reservation key', () => {
		expect(issuesWith(addFaultReport, (v) => (faultDetails(v).type = 'Service Outage'))).toEqual([]);
	});

	it('refuses a Service Outage without a reservation key', () => {
		expect(issuesWith(addFaultReport, (v) => delete (v.appointment as WritableObject).appointmentReservationKey)).toEqual([needsKey]);
	});

	it('refuses a Service Outage with no appointment at all', () => {
		expect(issuesWith(addFaultReport, (v) => delete v.appointment)).toEqual([needsKey]);
	});

	it.each(['Impaired Service', 'Performance Issue'])('refuses a reservation key on a %s fault', (type) => {
		expect(issuesWith(addFaultReport, (v) => (faultDetails(v).type = type))).toEqual([keyNotAllowed]);
	});

	it.each(['Impaired Service', 'Performance Issue'])('accepts a %s fault without a reservation key', (type) => {
		expect(
			issuesWith(addFaultReport, (v) => {
				faultDetails(v).type = type;
				delete v.appointment;
			}),
		).toEqual([]);
	});
});

describe('validationIssues: resolveResponse', () => {
	const needsReason = { path: 'rejectedReason', message: 'Rejecting a resolution needs a reason' };

	it.each([false, 'false'])('refuses a rejection (resolveAccepted %p) without a reason', (resolveAccepted) => {
		expect(
			issuesWith(resolveResponse, (v) => {
				v.resolveAccepted = resolveAccepted;
				delete v.rejectedReason;
			}),
		).toEqual([needsReason]);
	});

	it('accepts a rejection with a reason', () => {
		expect(
			issuesWith(resolveResponse, (v) => {
				v.resolveAccepted = false;
				v.rejectedReason = 'Customer still has no service after engineer visit';
			}),
		).toEqual([]);
	});

	it('accepts an acceptance without a reason', () => {
		expect(
			issuesWith(resolveResponse, (v) => {
				v.resolveAccepted = true;
				delete v.rejectedReason;
			}),
		).toEqual([]);
	});
});

describe('validationIssues: one service per ticket', () => {
	const oneService = { path: 'serviceAffected', message: 'A ticket covers exactly one service: raise one ticket per service ID' };

	it.each([
		['a comma-separated list', 'S18650,S18651'],
		['a space-separated list', 'S18650 S18651'],
		['a semicolon-separated list', 'S18650;S18651'],
		['a pipe-separated list', 'S18650|S18651'],
	])('refuses %s of service IDs in addFaultReport', (_, serviceAffected) => {
		expect(issuesWith(addFaultReport, (v) => (v.serviceAffected = serviceAffected))).toEqual([oneService]);
	});

	it('refuses an array of service IDs', () => {
		expect(issuesWith(addFaultReport, (v) => (v.serviceAffected = ['S18650', 'S18651']))).toContainEqual(oneService);
	});

	it('applies the rule to amendFaultReport too', () => {
		expect(issuesWith(amendFaultReport, (v) => (v.serviceAffected = 'S18650, S18651'))).toEqual([oneService]);
	});

	it('accepts one service ID', () => {
		expect(issuesWith(addFaultReport, (v) => (v.serviceAffected = 'S18650'))).toEqual([]);
	});
});

describe('assertValid', () => {
	it('passes a valid message silently', () => {
		expect(() => assertValid(requestFaultReportUpdate, sampleValues(requestFaultReportUpdate))).not.toThrow();
	});

	it('throws MessageValidationError listing every issue with its path', () => {
		const values = sampleValues(requestFaultReportUpdate);
		delete values.buyerFaultReference;
		values.sentAt = 'now';

		let thrown: unknown;
		try {
			assertValid(requestFaultReportUpdate, values);
		} catch (error) {
			thrown = error;
		}

		expect(thrown).toBeInstanceOf(MessageValidationError);
		expect(thrown).toMatchObject({
			name: 'MessageValidationError',
			messageName: 'requestFaultReportUpdate',
			issues: [
				{ path: 'sentAt', message: 'must be an ISO 8601 date-time with a time zone, e.g. 2025-06-02T08:40:00Z (got "now")' },
				{ path: 'buyerFaultReference', message: 'is required' },
			],
			message:
				'Invalid requestFaultReportUpdate: sentAt: must be an ISO 8601 date-time with a time zone, e.g. 2025-06-02T08:40:00Z (got "now"); buyerFaultReference: is required',
		});
	});
});
