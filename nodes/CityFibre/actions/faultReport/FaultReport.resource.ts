import type { INodeProperties } from 'n8n-workflow';

import { OPERATIONS } from '../../catalogue';
import * as acceptResolution from './acceptResolution.operation';
import * as amend from './amend.operation';
import * as raise from './raise.operation';
import * as rejectResolution from './rejectResolution.operation';
import * as requestUpdate from './requestUpdate.operation';

export { acceptResolution, amend, raise, rejectResolution, requestUpdate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['faultReport'] } },
		options: [
			{
				name: 'Accept Resolution',
				value: 'acceptResolution',
				description: "Accept CityFibre's fix of a Resolved ticket, which closes it",
				action: 'Accept the resolution of a fault report',
			},
			{
				name: 'Amend',
				value: 'amend',
				description: `${OPERATIONS.amendFaultReport.request.description}: send the ticket's references and only what changed`,
				action: 'Amend a fault report',
			},
			{
				name: 'Raise',
				value: 'raise',
				description: `${OPERATIONS.addFaultReport.request.description}; CityFibre answers Pending or Rejected`,
				action: 'Raise a fault report',
			},
			{
				name: 'Reject Resolution',
				value: 'rejectResolution',
				description: "Reject CityFibre's fix of a Resolved ticket with a reason, which re-opens it",
				action: 'Reject the resolution of a fault report',
			},
			{
				name: 'Request Update',
				value: 'requestUpdate',
				description: OPERATIONS.requestFaultReportUpdate.request.description,
				action: 'Request an update on a fault report',
			},
		],
		default: 'raise',
	},
	...raise.description,
	...amend.description,
	...requestUpdate.description,
	...acceptResolution.description,
	...rejectResolution.description,
];
