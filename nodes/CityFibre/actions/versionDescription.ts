/* eslint-disable n8n-nodes-base/node-filename-against-convention */
import type { INodeTypeDescription } from 'n8n-workflow';

import { CREDENTIAL_TEST_NAME } from '../methods/credentialTest';
import * as appointment from './appointment/Appointment.resource';
import * as faultReport from './faultReport/FaultReport.resource';
import { CREDENTIAL_TYPE } from './router';
import * as serviceDiagnostics from './serviceDiagnostics/ServiceDiagnostics.resource';

export const versionDescription: INodeTypeDescription = {
	displayName: 'CityFibre Ticketing',
	name: 'cityFibreTicketing',
	icon: { light: 'file:cityfibre.svg', dark: 'file:cityfibre.dark.svg' },
	group: ['output'],
	version: 1,
	subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
	description:
		"Raise and manage fault tickets with CityFibre's Ticketing API: raise, amend and chase fault reports, accept or reject resolutions, book engineer appointments and run service diagnostics",
	defaults: { name: 'CityFibre Ticketing' },
	usableAsTool: true,
	// Plain 'main' rather than NodeConnectionTypes.Main: older n8n 1.x releases do not export that constant.
	inputs: ['main'],
	outputs: ['main'],
	credentials: [{ name: CREDENTIAL_TYPE, required: true, testedBy: CREDENTIAL_TEST_NAME }],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Appointment', value: 'appointment', description: 'Engineer visits: find free slots and reserve one' },
				{ name: 'Fault Report', value: 'faultReport', description: 'Fault tickets: raise, amend, chase and close them' },
				{ name: 'Service Diagnostic', value: 'serviceDiagnostics', description: "Check a service's line and network before raising a ticket" },
			],
			default: 'faultReport',
		},
		...faultReport.description,
		...appointment.description,
		...serviceDiagnostics.description,
	],
};
