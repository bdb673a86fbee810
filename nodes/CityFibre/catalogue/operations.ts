/**
 * The Buyer's operations: which request goes with which response, which n8n resource shows it,
 * and whether a repeat is harmless (reference §1.1, §5, §7, §8).
 */
import * as m from './messages';
import type { OperationDefinition } from './types';

export const OPERATIONS = {
	addFaultReport: {
		name: 'addFaultReport',
		resource: 'faultReport',
		request: m.addFaultReport,
		response: m.addFaultReportResponse,
		readOnly: false,
		headerStyle: 'ticketing',
	},
	amendFaultReport: {
		name: 'amendFaultReport',
		resource: 'faultReport',
		request: m.amendFaultReport,
		response: m.amendFaultReportResponse,
		readOnly: false,
		headerStyle: 'ticketing',
	},
	requestFaultReportUpdate: {
		name: 'requestFaultReportUpdate',
		resource: 'faultReport',
		request: m.requestFaultReportUpdate,
		response: m.requestFaultReportUpdateResponse,
		readOnly: true,
		headerStyle: 'ticketing',
	},
	resolveResponse: {
		name: 'resolveResponse',
		resource: 'faultReport',
		request: m.resolveResponse,
		response: m.resolveResponseResponse,
		readOnly: false,
		headerStyle: 'ticketing',
	},
	queryAppointmentAvailability: {
		name: 'queryAppointmentAvailability',
		resource: 'appointment',
		request: m.queryAppointmentAvailability,
		response: m.queryAppointmentAvailabilityResponse,
		readOnly: true,
		headerStyle: 'ala',
	},
	reserveAppointment: {
		name: 'reserveAppointment',
		resource: 'appointment',
		request: m.reserveAppointment,
		response: m.reserveAppointmentResponse,
		readOnly: false,
		headerStyle: 'ala',
	},
	requestServiceDiagnostics: {
		name: 'requestServiceDiagnostics',
		resource: 'serviceDiagnostics',
		request: m.requestServiceDiagnostics,
		response: m.requestServiceDiagnosticsResponse,
		readOnly: true,
		headerStyle: 'ticketing',
	},
} as const satisfies Record<string, OperationDefinition>;

export type OperationName = keyof typeof OPERATIONS;

export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];

export function isOperationName(name: string): name is OperationName {
	return Object.prototype.hasOwnProperty.call(OPERATIONS, name);
}
