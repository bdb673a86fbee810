import type { INodeProperties } from 'n8n-workflow';

import { OPERATIONS } from '../../catalogue';
import * as run from './run.operation';

export { run };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['serviceDiagnostics'] } },
		options: [
			{
				name: 'Run',
				value: 'run',
				description: `${OPERATIONS.requestServiceDiagnostics.request.description}; the findings can be mapped into a following Raise`,
				action: 'Run service diagnostics',
			},
		],
		default: 'run',
	},
	...run.description,
];
