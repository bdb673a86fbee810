import type { INodeProperties } from 'n8n-workflow';

import { OPERATIONS } from '../../catalogue';
import * as queryAvailability from './queryAvailability.operation';
import * as reserve from './reserve.operation';

export { queryAvailability, reserve };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['appointment'] } },
		options: [
			{
				name: 'Query Availability',
				value: 'queryAvailability',
				description: OPERATIONS.queryAppointmentAvailability.request.description,
				action: 'Query appointment availability',
			},
			{
				name: 'Reserve',
				value: 'reserve',
				description: OPERATIONS.reserveAppointment.request.description,
				action: 'Reserve an appointment',
			},
		],
		default: 'queryAvailability',
	},
	...queryAvailability.description,
	...reserve.description,
];
